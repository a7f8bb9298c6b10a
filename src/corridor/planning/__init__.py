"""Fleet planning: exact and heuristic planners, lower bounds, the BEP reader."""
