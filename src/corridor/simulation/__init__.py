"""Discrete-event execution of a plan under disruption, and Monte Carlo over it."""
