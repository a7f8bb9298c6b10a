"""The folded state with every built-in event type registered.

Import `fold` from here (not from `corridor.domain.fold`) so that the
reducers of every part of the domain are registered before the first replay.
A new part of the domain that records events adds its module to the imports
below.
"""

from __future__ import annotations

from corridor.domain import operation as _operation  # registers its reducers
from corridor.domain.fold import REDUCERS, Reducers, State, fold

__all__ = ["REDUCERS", "Reducers", "State", "fold"]

_REGISTERED = (_operation,)
