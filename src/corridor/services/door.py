"""A command refused at the door, as the project's error: 422 (API), `error:` and exit 2 (CLI).

The domain's `Rejected` names the field, the value and what is allowed; the
error keeps the three in its context so the API's error body can carry them
as keys a client can act on.
"""

from __future__ import annotations

from corridor.domain.door import Rejected
from corridor.errors import InvalidInput


def rejected_input(rejected: Rejected) -> InvalidInput:
    """The `InvalidInput` for a door refusal, with `field`, `value` and `allowed` in its context."""
    allowed = rejected.allowed if isinstance(rejected.allowed, str) else list(rejected.allowed)
    return InvalidInput(str(rejected), field=rejected.field, value=rejected.value, allowed=allowed)
