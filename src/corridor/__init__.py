"""corridor: plan, run and audit negotiated humanitarian evacuations."""

__version__ = "0.1.0"
