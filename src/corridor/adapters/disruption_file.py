"""Disruption models from YAML: the scenario's `disruption:` section or a file of its own.

The format is documented in docs/disruption-format.md. Validation happens in
two passes, both collecting every problem before raising: pydantic checks
shapes and bounds (a rate of zero is refused here), then cross-checks against
the scenario find unknown corridors, sites and movements, impossible times and
contradictory timeline entries. Every problem carries file:line:column from
the YAML marks, so a coordinator can fix the file without guessing.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from corridor.adapters.scenario_file import ScenarioDocument
from corridor.adapters.scenario_file.messages import problems_from
from corridor.adapters.yaml_marks import MarkedDocument, load_yaml_file_with_marks
from corridor.domain.scenario import Scenario
from corridor.errors import InvalidInput, Problem
from corridor.simulation.disruption import (
    Breakdowns,
    DisruptionModel,
    HaltKind,
    Handling,
    IncidentRisk,
    Scripted,
    TimelineEntry,
    Weather,
    Weighted,
)
from corridor.simulation.distributions import Duration, Shape

Minutes = Annotated[float, Field(ge=0)]
Weight = Annotated[float, Field(ge=0)]


class _Strict(BaseModel):
    model_config = ConfigDict(
        strict=True, extra="forbid", allow_inf_nan=False, frozen=True, populate_by_name=True
    )


class DurationModel(_Strict):
    """A distribution of minutes; a plain number in the file means a fixed duration."""

    dist: Literal["fixed", "exponential", "uniform", "triangular", "lognormal"]
    mean: Minutes = 0.0
    low: Minutes = 0.0
    mode: Minutes = 0.0
    high: Minutes = 0.0
    sd: Minutes = 0.0


DurationField = Minutes | DurationModel


class IncidentModel(_Strict):
    corridor: str
    rate_per_day: Annotated[float, Field(gt=0)]
    kinds: dict[str, Weight] = Field(default_factory=lambda: {"shooting": 1.0})
    severity: dict[str, Weight] = Field(default_factory=lambda: {"1": 0.6, "2": 0.3, "3": 0.1})
    verification: DurationField = Field(
        default_factory=lambda: DurationModel(dist="exponential", mean=60.0)
    )
    suspension: DurationField = Field(
        default_factory=lambda: DurationModel(dist="exponential", mean=240.0)
    )
    suspend_at: Annotated[int, Field(ge=1)] = 2


class CheckpointModel(_Strict):
    site: str
    screening: DurationField


class BreakdownModel(_Strict):
    per_trip: Annotated[float, Field(ge=0, le=1)] = 0.0
    repair: DurationField = Field(
        default_factory=lambda: DurationModel(dist="exponential", mean=90.0)
    )


class WeatherModel(_Strict):
    start: str = Field(alias="from")
    end: str = Field(alias="to")
    factor: Annotated[float, Field(gt=0)]
    note: str = ""


class HandlingModel(_Strict):
    load_fixed: Minutes = 10.0
    load_per_person: Minutes = 0.15
    unload_fixed: Minutes = 5.0
    unload_per_person: Minutes = 0.05


class TimelineModel(_Strict):
    action: Literal["halt", "turn-back", "incident"]
    start: str | None = Field(default=None, alias="from")
    at: str | None = None
    end: str | None = Field(default=None, alias="to")
    movement: str | None = None
    corridor: str | None = None
    site: str | None = None
    kind: str = ""
    """An incident's kind; a halt's kind: stop (default), dispatch or exchange."""
    partner: str | None = None
    """An exchange halt: the movement whose convoys `movement`'s convoys wait for."""
    severity: Annotated[int, Field(ge=0)] = 0
    verification_minutes: Minutes = 0.0
    suspension_minutes: Minutes = 0.0
    note: str = ""


class DisruptionFile(_Strict):
    start: str | None = None
    incidents: list[IncidentModel] = Field(default_factory=list)
    checkpoints: list[CheckpointModel] = Field(default_factory=list)
    breakdowns: BreakdownModel = Field(default_factory=BreakdownModel)
    weather: list[WeatherModel] = Field(default_factory=list)
    handling: HandlingModel = Field(default_factory=HandlingModel)
    timeline: list[TimelineModel] = Field(default_factory=list)


_RELATIVE = re.compile(r"^\+(\d+(?:\.\d+)?)([mhd])$")
_UNIT_MINUTES = {"m": 1.0, "h": 60.0, "d": 1440.0}


@dataclass
class _Reader:
    """Turns a validated file into the domain model, collecting positioned problems."""

    doc: MarkedDocument
    scenario: Scenario
    start: str | None = None
    """The file's own operation start, when it gives one; else the scenario's."""

    def __post_init__(self) -> None:
        self.problems: list[Problem] = []
        zone = ZoneInfo(self.scenario.timezone)
        start = datetime.fromisoformat(self.scenario.start)
        self.zone = zone
        self.zero = start if start.tzinfo else start.replace(tzinfo=zone)
        self.local_start: str | None = None
        if self.start is not None:
            self.read_start(self.start)

    def read_start(self, text: str) -> None:
        """The operation's start from the file: minute zero of the run, in the scenario's zone."""
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            self.fail(
                "start",
                f"expected a start instant like 2016-12-15T14:30+02:00, found {text!r}",
            )
            return
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=self.zone)
        self.zero = moment
        local = moment.astimezone(self.zone).replace(tzinfo=None)
        self.local_start = local.isoformat(timespec="minutes")

    def fail(self, path: str, message: str) -> None:
        self.problems.append(self.doc.problem(path, message))

    def minute(self, text: str, path: str) -> float:
        """A time in the file as minutes after the scenario's start."""
        relative = _RELATIVE.match(text.strip())
        if relative:
            return float(relative.group(1)) * _UNIT_MINUTES[relative.group(2)]
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            self.fail(
                path,
                "expected a time like 2016-12-16T09:00 (scenario time zone "
                f"{self.scenario.timezone}) or an offset like +36h, found {text!r}",
            )
            return 0.0
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=self.zone)
        minutes = (moment - self.zero) / timedelta(minutes=1)
        if minutes < 0:
            start = self.zero.isoformat(timespec="minutes")
            self.fail(path, f"{text} is before the operation starts ({start})")
            return 0.0
        return minutes

    def duration(self, value: float | DurationModel, path: str) -> Duration:
        if not isinstance(value, DurationModel):
            return Duration.fixed(float(value))
        duration = Duration(
            Shape(value.dist), value.mean, value.low, value.high, value.mode, value.sd
        )
        for field, message in duration.problems():
            self.fail(f"{path}.{field}", message)
        return duration

    def weighted(self, mapping: dict[str, float], path: str) -> tuple[Weighted, ...]:
        if not mapping or sum(mapping.values()) <= 0:
            self.fail(path, "expected at least one outcome with a weight above 0")
        return tuple(Weighted(k, w) for k, w in mapping.items())

    def known(self, kind: str, name: str | None, names: list[str], path: str) -> None:
        if name is not None and name not in names:
            self.fail(
                path,
                f"no {kind} {name!r} in scenario {self.scenario.id}; {kind}s: {', '.join(names)}",
            )

    def read(self, data: DisruptionFile) -> DisruptionModel:
        scenario = self.scenario
        corridors = [c.id for c in scenario.corridors]
        sites = [s.id for s in scenario.sites]
        movements = [m.id for m in scenario.movements]
        incidents: list[IncidentRisk] = []
        seen: dict[str, int] = {}
        for i, item in enumerate(data.incidents):
            path = f"incidents[{i}]"
            self.known("corridor", item.corridor, corridors, f"{path}.corridor")
            if item.corridor in seen:
                self.fail(
                    f"{path}.corridor",
                    f"corridor {item.corridor!r} already has incidents "
                    f"at incidents[{seen[item.corridor]}]; give one rate per corridor",
                )
            seen[item.corridor] = i
            severities = self.weighted(item.severity, f"{path}.severity")
            for level in item.severity:
                if not level.isdigit() or int(level) < 1:
                    self.fail(
                        f"{path}.severity.{level}",
                        f"severity levels are whole numbers from 1, found {level!r}",
                    )
            incidents.append(
                IncidentRisk(
                    corridor=item.corridor,
                    rate_per_day=item.rate_per_day,
                    kinds=self.weighted(item.kinds, f"{path}.kinds"),
                    severities=severities,
                    verification=self.duration(item.verification, f"{path}.verification"),
                    suspension=self.duration(item.suspension, f"{path}.suspension"),
                    suspend_at=item.suspend_at,
                )
            )
        screening: list[tuple[str, Duration]] = []
        for i, checkpoint in enumerate(data.checkpoints):
            path = f"checkpoints[{i}]"
            self.known("site", checkpoint.site, sites, f"{path}.site")
            if checkpoint.site in {s for s, _ in screening}:
                self.fail(f"{path}.site", f"site {checkpoint.site!r} is listed twice")
            screening.append(
                (checkpoint.site, self.duration(checkpoint.screening, f"{path}.screening"))
            )
        weather = [self.weather(w, f"weather[{i}]") for i, w in enumerate(data.weather)]
        self.overlapping_weather(weather)
        timeline = [
            self.entry(e, f"timeline[{i}]", movements, corridors, sites)
            for i, e in enumerate(data.timeline)
        ]
        self.contradictions(timeline)
        h = data.handling
        return DisruptionModel(
            incidents=tuple(incidents),
            screening=tuple(screening),
            breakdowns=Breakdowns(
                data.breakdowns.per_trip,
                self.duration(data.breakdowns.repair, "breakdowns.repair"),
            ),
            weather=tuple(weather),
            handling=Handling(h.load_fixed, h.load_per_person, h.unload_fixed, h.unload_per_person),
            timeline=tuple(timeline),
        )

    def weather(self, item: WeatherModel, path: str) -> Weather:
        start = self.minute(item.start, f"{path}.from")
        end = self.minute(item.end, f"{path}.to")
        if end <= start:
            self.fail(f"{path}.to", f"must be after from ({item.start}), found {item.end}")
        return Weather(start, end, item.factor, item.note)

    def overlapping_weather(self, spans: list[Weather]) -> None:
        for j, later in enumerate(spans):
            for i, earlier in enumerate(spans[:j]):
                if later.start < earlier.end and earlier.start < later.end:
                    self.fail(
                        f"weather[{j}]",
                        f"overlaps weather[{i}]; a time can have one slowdown factor only",
                    )

    def entry(
        self,
        item: TimelineModel,
        path: str,
        movements: list[str],
        corridors: list[str],
        sites: list[str],
    ) -> TimelineEntry:
        self.known("movement", item.movement, movements, f"{path}.movement")
        self.known("corridor", item.corridor, corridors, f"{path}.corridor")
        self.known("site", item.site, sites, f"{path}.site")
        self.known("movement", item.partner, movements, f"{path}.partner")
        action = Scripted(item.action)
        written = item.start if item.start is not None else item.at
        if item.start is not None and item.at is not None:
            self.fail(f"{path}.at", "give from: or at: (the same time), not both")
        if written is None:
            self.fail(path, "missing required field 'from' (or 'at': when it happens)")
            written = "+0m"
        start = self.minute(written, f"{path}.{'from' if item.start is not None else 'at'}")
        end = start
        scopes = [n for n in ("movement", "corridor", "site") if getattr(item, n) is not None]
        halt = self.halt_kind(item, action, path)
        if halt is HaltKind.EXCHANGE:
            scopes = []  # an exchange names two movements and a site by design
        if action is Scripted.INCIDENT:
            if item.corridor is None:
                self.fail(path, "an incident names the corridor it happened on (corridor:)")
            if item.severity < 1:
                self.fail(f"{path}.severity", "an incident needs a severity of at least 1")
            if not item.kind:
                self.fail(path, "an incident needs a kind (e.g. kind: shooting)")
            if item.end is not None:
                self.fail(f"{path}.to", "an incident ends by its suspension_minutes, not to:")
        else:
            if item.end is None:
                self.fail(path, f"a {action.value} needs to: (when it ends)")
            else:
                end = self.minute(item.end, f"{path}.to")
                if end <= start:
                    self.fail(f"{path}.to", f"must be after from ({written}), found {item.end}")
            if len(scopes) > 1:
                self.fail(
                    path, f"name one of movement, corridor or site, found {', '.join(scopes)}"
                )
            if action is Scripted.TURN_BACK and item.site is None:
                self.fail(path, "a turn-back names the site where vehicles are sent back (site:)")
        return TimelineEntry(
            action=action,
            start=start,
            end=end,
            movement=item.movement,
            corridor=item.corridor,
            site=item.site,
            kind=item.kind if action is not Scripted.HALT else "",
            halt=halt,
            partner=item.partner,
            severity=item.severity,
            verification=item.verification_minutes,
            suspension=item.suspension_minutes,
            note=item.note,
            position=path,
        )

    def halt_kind(self, item: TimelineModel, action: Scripted, path: str) -> HaltKind:
        """A halt's kind (stop when absent); an exchange's movements, partner and site."""
        if action is not Scripted.HALT:
            if item.partner is not None:
                self.fail(f"{path}.partner", "only an exchange halt names a partner movement")
            return HaltKind.STOP
        kinds = [k.value for k in HaltKind]
        if item.kind and item.kind not in kinds:
            self.fail(
                f"{path}.kind",
                f"unknown halt kind {item.kind!r}; expected one of: " + ", ".join(kinds),
            )
            return HaltKind.STOP
        halt = HaltKind(item.kind) if item.kind else HaltKind.STOP
        if halt is not HaltKind.EXCHANGE:
            if item.partner is not None:
                self.fail(f"{path}.partner", "only an exchange halt names a partner movement")
            return halt
        if item.movement is None or item.partner is None or item.site is None:
            self.fail(
                path,
                "an exchange halt names movement:, partner: and the exchange site: "
                "(convoys of each wait there for the other's)",
            )
            return halt
        if item.corridor is not None:
            self.fail(f"{path}.corridor", "an exchange halt is scoped by its two movements")
        if item.movement == item.partner:
            self.fail(f"{path}.partner", "the partner must be another movement")
        for field, name in (("movement", item.movement), ("partner", item.partner)):
            try:
                movement = self.scenario.movement(name)
            except KeyError:
                continue
            corridor = self.scenario.corridor(movement.corridor)
            if item.site not in corridor.sites[1:]:
                self.fail(
                    f"{path}.{field}",
                    f"movement {name!r} does not pass site {item.site!r} "
                    f"(its corridor: {', '.join(corridor.sites)})",
                )
        return halt

    def contradictions(self, entries: list[TimelineEntry]) -> None:
        """Overlapping entries that say different things about the same scope at once.

        Two halts of one scope overlapping leave its end ambiguous; a halt and
        a turn-back at one site overlapping say both "wait" and "go back".
        """
        for j, later in enumerate(entries):
            if later.action is Scripted.INCIDENT:
                continue
            for earlier in entries[:j]:
                if earlier.action is Scripted.INCIDENT:
                    continue
                if not (later.start < earlier.end and earlier.start < later.end):
                    continue
                same_scope = (later.movement, later.corridor, later.site) == (
                    earlier.movement,
                    earlier.corridor,
                    earlier.site,
                )
                if later.action == earlier.action and same_scope:
                    self.fail(
                        later.position,
                        f"{later.action.value} on {later.scope} overlaps "
                        f"{earlier.position}; merge them into one entry",
                    )
                elif later.action != earlier.action and self._meet(later, earlier):
                    self.fail(
                        later.position,
                        f"{later.action.value} contradicts "
                        f"{earlier.action.value} at {earlier.position}: both apply to "
                        f"{later.scope} at the same time",
                    )

    def _meet(self, a: TimelineEntry, b: TimelineEntry) -> bool:
        turn, halt = (a, b) if a.action is Scripted.TURN_BACK else (b, a)
        if halt.site is not None:
            return halt.site == turn.site and (turn.movement in (None, halt.movement))
        for movement in self.scenario.movements:
            if turn.movement not in (None, movement.id):
                continue
            corridor = self.scenario.corridor(movement.corridor)
            if turn.site in corridor.sites and halt.covers(
                movement.id, movement.corridor, corridor.sites
            ):
                return True
        return False


@dataclass(frozen=True)
class ChosenDisruption:
    """The disruption model a run uses, where it came from, and the start it may set.

    `source` is what `simulate` prints and records: `none`, `scenario`
    (an inline section), or the file's name. `start` is the file's own
    operation start, local in the scenario's zone without offset (the
    scenario's `start` spelling), when it gives one.
    """

    model: DisruptionModel
    source: str
    start: str | None = None

    @property
    def quiet(self) -> bool:
        return self.source == NONE

    def describe(self) -> str:
        """One line for the console and the report."""
        if self.quiet:
            return "disruption model: none (a quiet operation: no incidents, halts or breakdowns)"
        return f"disruption model: {self.source}"

    def scenario(self, scenario: Scenario) -> Scenario:
        """`scenario` with the file's start as minute zero, when the file gives one."""
        return scenario if self.start is None else replace(scenario, start=self.start)


NONE = "none"
BUNDLED = "bundled"
SUFFIX = ".disruption.yaml"


def read_disruption(
    doc: MarkedDocument, scenario: Scenario, prefix: str = ""
) -> tuple[DisruptionModel, str | None]:
    """Validate a disruption document; the model and the file's start (or None).

    InvalidInput lists every problem. `prefix` names the section in field
    paths when it sits inside a scenario file.
    """
    if doc.data is None:
        return DisruptionModel(), None
    if not isinstance(doc.data, dict):
        line, column = doc.where("")
        problem = Problem(doc.filename, line, column, "", "expected a mapping of disruption fields")
        raise InvalidInput(f"{doc.filename} is not a disruption model", [problem])
    try:
        data = DisruptionFile.model_validate_json(json.dumps(doc.data), strict=True)
    except ValidationError as error:
        problems = problems_from(error, DisruptionFile, doc)
        raise _invalid(doc.filename, problems, prefix) from None
    reader = _Reader(doc, scenario, data.start)
    model = reader.read(data)
    if reader.problems:
        raise _invalid(doc.filename, reader.problems, prefix)
    return model, reader.local_start


def parse_disruption(doc: MarkedDocument, scenario: Scenario, prefix: str = "") -> DisruptionModel:
    """Validate a disruption document against its scenario; InvalidInput lists every problem.

    Times count from the file's `start` when it gives one (see `read_disruption`).
    """
    return read_disruption(doc, scenario, prefix)[0]


def _invalid(filename: str, problems: list[Problem], prefix: str = "") -> InvalidInput:
    if prefix:
        problems = [replace(p, path=f"{prefix}.{p.path}" if p.path else prefix) for p in problems]
    unique = sorted(set(problems), key=lambda p: (p.line, p.column, p.path, p.message))
    noun = "problem" if len(unique) == 1 else "problems"
    return InvalidInput(f"{filename}: {len(unique)} {noun} in the disruption model", unique)


def load_disruption_file(path: str | Path, scenario: Scenario) -> DisruptionModel:
    """A disruption model from its own YAML file."""
    return _load_file(Path(path), scenario)[0]


def _load_file(file: Path, scenario: Scenario) -> tuple[DisruptionModel, str | None]:
    if not file.is_file():
        raise InvalidInput(f"{file}: no such disruption file")
    return read_disruption(load_yaml_file_with_marks(file, str(file)), scenario)


def bundled_disruption(path: Path) -> Path:
    """The disruption model shipped beside the scenario file `path`: `<name>.disruption.yaml`."""
    return path.with_name(path.name.removesuffix(".yaml") + SUFFIX)


def choose_disruption(
    document: ScenarioDocument, path: Path | None = None, choice: str | None = None
) -> ChosenDisruption:
    """The model `simulate --disruption CHOICE` runs (see docs/disruption-format.md).

    `none`: a quiet operation. `bundled`: the file shipped beside the scenario
    (`east-aleppo-2016.disruption.yaml`). Any other text: a file. No choice:
    the scenario's own `disruption:` section, else none; the bundled model is
    a what-if of estimated risks and is run only when asked for.
    """
    if choice == NONE:
        return ChosenDisruption(DisruptionModel(), NONE)
    if choice == BUNDLED:
        file = bundled_disruption(path or document.base_dir / f"{document.scenario.id}.yaml")
        if not file.is_file():
            raise InvalidInput(
                f"--disruption bundled: no {file.name} beside scenario {document.scenario.id}; "
                "give a file, or none"
            )
        model, start = _load_file(file, document.scenario)
        return ChosenDisruption(model, f"{BUNDLED} ({file.name})", start)
    if choice is not None:
        file = Path(choice)
        model, start = _load_file(file, document.scenario)
        return ChosenDisruption(model, str(file), start)
    raw = document.disruption_raw
    if raw is None:
        return ChosenDisruption(DisruptionModel(), NONE)
    if raw.file is not None and not raw.file.is_file():
        line, column = raw.position
        problem = Problem(
            document.marks.filename,
            line,
            column,
            "disruption",
            f"no disruption file {raw.value!r} beside the scenario",
        )
        raise InvalidInput("disruption file not found", [problem])
    model, start = read_disruption(
        raw.document(), document.scenario, "disruption" if raw.is_inline else ""
    )
    source = "scenario (inline section)" if raw.is_inline else f"scenario ({raw.value})"
    return ChosenDisruption(model, source, start)


def disruption_of(
    document: ScenarioDocument, override: str | Path | None = None
) -> DisruptionModel:
    """The model for a scenario: `override` if given, else its `disruption:` section, else quiet."""
    return choose_disruption(document, None, None if override is None else str(override)).model
