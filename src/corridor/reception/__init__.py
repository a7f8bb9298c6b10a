"""Reception: arrivals forecast per site and hour, shelter allocation, Sphere needs.

Sits between services and simulation: it reads a scenario's shelters, a plan
or a simulation study, and turns them into where people can stay and what they
need each day (docs/decisions/0013-reception.md).
"""
