"""The composition root: the one place that wires settings to adapters."""

from __future__ import annotations
