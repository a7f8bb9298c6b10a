"""The deal as the simulator sees it: who may dispatch and cross, and when.

The engine asks the gate before every loaded departure and at every checkpoint,
and tells it what happened (incidents reported, verified and resumed; people
confirmed arrived), so the deal's terms (suspensions naming several movements,
staged or paced reciprocity) act in the run exactly as they would in the field.
`OpenDeal` is the deal with no terms: everything the road allows is allowed.
A gate holds the state of one run; the engine asks its factory for a fresh one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from corridor.domain.scenario import Group, Scenario

Load = tuple[tuple[Group, int], ...]


class Verdict:
    """The gate's answer: allowed or not, and the reason in a negotiator's words.

    The reason may be given as a function that words it, called the first
    time it is read: a run reads the yes or no of thousands of answers and
    the words of almost none.
    """

    __slots__ = ("_explain", "_reason", "allowed")

    def __init__(
        self, allowed: bool, reason: str = "", explain: Callable[[], str] | None = None
    ) -> None:
        self.allowed = allowed
        self._reason = reason
        self._explain = explain

    @property
    def reason(self) -> str:
        if self._explain is not None:
            self._reason, self._explain = self._explain(), None
        return self._reason

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Verdict):
            return NotImplemented
        return (self.allowed, self.reason) == (other.allowed, other.reason)

    def __hash__(self) -> int:
        return hash((self.allowed, self.reason))

    def __repr__(self) -> str:
        return f"Verdict(allowed={self.allowed!r}, reason={self.reason!r})"


ALLOWED = Verdict(True)


@dataclass(frozen=True)
class IncidentNotice:
    """An incident as reported to the deal: where, what, how bad."""

    id: str
    corridor: str
    kind: str
    severity: int
    minute: float


class Gate(Protocol):
    """The decisions and facts that pass between the run and the deal."""

    def dispatch(self, movement: str, vehicle: str, minute: float, load: Load) -> Verdict:
        """May this load leave for `movement` now? When allowed, the trip has left."""
        ...

    def dispatchable(self, movement: str, minute: float, load: Load) -> int:
        """How many leading groups of `load` the deal would let leave now (0: none).

        The largest n such that `load[:n]` would be let leave, trying the
        whole load first; asks only, nothing leaves.
        """
        ...

    def shut(self, movement: str, minute: float) -> bool:
        """Whether no load at all may leave for `movement` now (a window, a halt, a stage)."""
        ...

    def cross(self, movement: str, vehicle: str, site: str, minute: float, people: int) -> Verdict:
        """May this loaded vehicle pass the checkpoint `site` now? When allowed, it has."""
        ...

    def reported(self, incident: IncidentNotice) -> None:
        """An incident was reported (not yet verified)."""
        ...

    def verified(self, incident: IncidentNotice, minute: float) -> None:
        """Monitors verified the incident; suspension terms may now apply."""
        ...

    def resumed(self, incident: IncidentNotice, minute: float) -> None:
        """The guarantors recorded a resume after the incident."""
        ...

    def arrived(self, movement: str, people: int, minute: float) -> None:
        """A monitor confirmed `people` of `movement` arrived at a destination."""
        ...

    def recheck_after(self, minute: float) -> float | None:
        """Minutes from `minute` until time alone may change an answer (a window
        opening or closing); None when only events can change answers."""
        ...


class GateFactory(Protocol):
    """Builds the gate for one run (gates are stateful; runs never share one)."""

    def __call__(self, scenario: Scenario) -> Gate: ...


class OpenDeal:
    """A deal with no terms: nothing is blocked by agreement, only by the road."""

    def __init__(self, scenario: Scenario | None = None) -> None:
        self.scenario = scenario

    def dispatch(self, movement: str, vehicle: str, minute: float, load: Load) -> Verdict:
        return ALLOWED

    def dispatchable(self, movement: str, minute: float, load: Load) -> int:
        return len(load)

    def shut(self, movement: str, minute: float) -> bool:
        return False

    def cross(self, movement: str, vehicle: str, site: str, minute: float, people: int) -> Verdict:
        return ALLOWED

    def reported(self, incident: IncidentNotice) -> None:
        return None

    def verified(self, incident: IncidentNotice, minute: float) -> None:
        return None

    def resumed(self, incident: IncidentNotice, minute: float) -> None:
        return None

    def arrived(self, movement: str, people: int, minute: float) -> None:
        return None

    def recheck_after(self, minute: float) -> float | None:
        return None
