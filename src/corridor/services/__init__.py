"""Use cases: commands handled through a unit of work, and queries for read models."""
