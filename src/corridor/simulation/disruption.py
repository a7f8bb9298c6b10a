"""What can go wrong during a run: the disruption model as plain values.

The model is read from the scenario's `disruption:` section or a file of its own
(see `corridor.adapters.disruption_file` and docs/disruption-format.md); here it
is only data. Random parts (incident rates, screening times, breakdowns) are
distributions; the scripted timeline is fixed and overrides randomness, so a
negotiator can ask "what if everything halts from the 16th at 09:00 to the 18th
at 23:00?" and get the same halt in every run. All times are minutes after the
scenario's start.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum

from corridor.simulation.distributions import Duration


@dataclass(frozen=True)
class Weighted:
    """One outcome of a discrete distribution and its weight."""

    value: str
    weight: float


@dataclass(frozen=True)
class IncidentRisk:
    """Random incidents on one corridor: a Poisson process and what follows each one.

    An incident of severity at least `suspend_at` suspends the movements on the
    corridor once verified, for a drawn suspension length, and the deal may
    suspend linked movements too.
    """

    corridor: str
    rate_per_day: float
    kinds: tuple[Weighted, ...] = (Weighted("shooting", 1.0),)
    severities: tuple[Weighted, ...] = (Weighted("1", 0.6), Weighted("2", 0.3), Weighted("3", 0.1))
    verification: Duration = field(default_factory=lambda: Duration.exponential(60.0))
    suspension: Duration = field(default_factory=lambda: Duration.exponential(240.0))
    suspend_at: int = 2


@dataclass(frozen=True)
class Breakdowns:
    """Vehicles break down on a loaded run with probability `per_trip`, then wait for repair."""

    per_trip: float = 0.0
    repair: Duration = field(default_factory=lambda: Duration.exponential(90.0))


@dataclass(frozen=True)
class Weather:
    """Between `start` and `end`, driving takes `factor` times as long (snow, rain, dark)."""

    start: float
    end: float
    factor: float
    note: str = ""


@dataclass(frozen=True)
class Handling:
    """How long loading and unloading take: a fixed part plus a part per person."""

    load_fixed: float = 10.0
    load_per_person: float = 0.15
    unload_fixed: float = 5.0
    unload_per_person: float = 0.05


class Scripted(StrEnum):
    """What a timeline entry does."""

    HALT = "halt"
    TURN_BACK = "turn-back"
    INCIDENT = "incident"


class HaltKind(StrEnum):
    """What a halt stops.

    stop: nothing in scope leaves, and loaded vehicles stop at their next
    stop (checkpoint, crossing, named site) where they are; dispatch: nothing
    leaves its pickup site, vehicles already on the road go on; exchange:
    loaded vehicles of two linked movements reaching the exchange site wait
    there until a vehicle of the partner movement reaches it too, then all
    waiting vehicles of both go on.
    """

    STOP = "stop"
    DISPATCH = "dispatch"
    EXCHANGE = "exchange"


@dataclass(frozen=True)
class TimelineEntry:
    """One scripted event; `position` is where it was written, for error messages.

    halt: nothing moves in scope (all, one movement, one corridor or one site)
    from `start` to `end`, as its `halt` kind says (`HaltKind`; an exchange
    names `movement`, its `partner` and the exchange `site`); turn-back: loaded
    vehicles reaching `site` between `start` and `end` are sent back to their
    pickup site; incident: an incident of `kind` and `severity` on `corridor`
    at `start`, verified `verification` minutes later, resumed `suspension`
    minutes after that.
    """

    action: Scripted
    start: float
    end: float
    movement: str | None = None
    corridor: str | None = None
    site: str | None = None
    kind: str = ""
    severity: int = 0
    verification: float = 0.0
    suspension: float = 0.0
    note: str = ""
    position: str = ""
    halt: HaltKind = HaltKind.STOP
    partner: str | None = None

    @property
    def scope(self) -> str:
        """Human words for what the entry applies to."""
        if self.partner:
            return f"movements {self.movement} and {self.partner} at site {self.site}"
        if self.movement:
            return f"movement {self.movement}"
        if self.corridor:
            return f"corridor {self.corridor}"
        if self.site:
            return f"site {self.site}"
        return "all movement"

    def covers(self, movement: str, corridor: str, sites: tuple[str, ...]) -> bool:
        """Whether this entry applies to a movement travelling `corridor` through `sites`."""
        if self.movement is not None and self.movement != movement:
            return False
        if self.corridor is not None and self.corridor != corridor:
            return False
        return self.site is None or self.site in sites


@dataclass(frozen=True)
class DisruptionModel:
    """Everything that can slow or stop a run; the empty model is a quiet operation."""

    incidents: tuple[IncidentRisk, ...] = ()
    screening: tuple[tuple[str, Duration], ...] = ()
    """Per checkpoint site: the screening time of one vehicle (overrides the site's rate)."""
    breakdowns: Breakdowns = field(default_factory=Breakdowns)
    weather: tuple[Weather, ...] = ()
    handling: Handling = field(default_factory=Handling)
    timeline: tuple[TimelineEntry, ...] = ()

    def screening_at(self, site: str) -> Duration | None:
        for name, duration in self.screening:
            if name == site:
                return duration
        return None

    def with_screening(self, site: str, duration: Duration) -> DisruptionModel:
        kept = tuple((name, d) for name, d in self.screening if name != site)
        return replace(self, screening=(*kept, (site, duration)))

    def incident_risk(self, corridor: str) -> IncidentRisk | None:
        for risk in self.incidents:
            if risk.corridor == corridor:
                return risk
        return None

    def with_incident_rate(self, corridor: str, rate_per_day: float) -> DisruptionModel:
        risk = self.incident_risk(corridor) or IncidentRisk(corridor, rate_per_day)
        kept = tuple(r for r in self.incidents if r.corridor != corridor)
        return replace(self, incidents=(*kept, replace(risk, rate_per_day=rate_per_day)))

    def slowdown(self, minute: float) -> float:
        """The driving-time factor at `minute` (1.0 in fair weather)."""
        for span in self.weather:
            if span.start <= minute < span.end:
                return span.factor
        return 1.0
