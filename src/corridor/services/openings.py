"""The port through which a service opens an operation on a scenario and its deal.

Loading scenario and agreement files is an adapter's job; handlers see only
this: given what the user named (a bundled scenario or a file), the scenario,
its content digest and, when the scenario has one, the agreement to adopt as
written. `resolve` turns a recorded adoption back into the deal and its
scenario, refusing a scenario changed since, so every reader enforces exactly
the terms that were adopted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from corridor.domain.agreement import Agreement
from corridor.domain.scenario import Scenario

__all__ = ["Opening", "OpeningSource"]


@dataclass(frozen=True)
class Opening:
    """A scenario ready to open, with the agreement adoption when it has a deal."""

    scenario: Scenario
    digest: str
    adoption: dict[str, Any] | None
    """The `agreement-adopted` payload without its `operation` (None: no deal)."""


class OpeningSource(Protocol):
    def opening(self, ref: str) -> Opening:
        """The scenario (and its deal) that `ref` names; NotFound / InvalidInput otherwise."""
        ...

    def resolve(self, adopted: dict[str, Any]) -> tuple[Agreement, Scenario]:
        """The deal as adopted, over its scenario (an `agreement-adopted` payload)."""
        ...
