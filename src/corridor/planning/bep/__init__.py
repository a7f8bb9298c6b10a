"""The Bus Evacuation Problem: reader, engines, lower bounds and results.

The BEP is the planner's special case with one group, one vehicle kind and no
checkpoint; its published instances are the outside yardstick for the planner.
"""
