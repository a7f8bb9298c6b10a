"""Rules of an agreement file that need the scenario, each reported at its position.

References must resolve (movements, organisations in the right role,
corridors, sites); windows must end on or after they start, with distinct
opening and closing hours; staged links must name both sides in every stage
with people, a share or `rest`. Every problem is collected before returning.
"""

from __future__ import annotations

import re
from typing import Any

from corridor.adapters.agreement_file.models import (
    AgreementFile,
    CapTerm,
    PacedLinkTerm,
    PriorityTerm,
    StagedLinkTerm,
    SuspensionTerm,
    WindowTerm,
)
from corridor.adapters.yaml_marks import MarkedDocument
from corridor.domain.door import incident_vocabulary
from corridor.domain.scenario import Role, Scenario
from corridor.errors import Problem

SHARE = re.compile(r"^(\d+(?:\.\d+)?)%$")
STAGE_NOTE = "note"


def _choices(ids: list[str] | set[str]) -> str:
    shown = sorted(ids)
    text = ", ".join(shown[:12]) + (", ..." if len(shown) > 12 else "")
    return text or "none declared"


def minutes(text: str) -> tuple[int, int]:
    """`HH:MM-HH:MM` as minutes after midnight (24:00 is 1440)."""
    start, _, end = text.partition("-")
    h1, m1 = start.split(":")
    h2, m2 = end.split(":")
    return int(h1) * 60 + int(m1), int(h2) * 60 + int(m2)


def stage_value(value: int | str) -> tuple[str, float] | None:
    """('people', n), ('share', fraction) or ('rest', 0); None when unreadable."""
    if isinstance(value, int) and not isinstance(value, bool):
        return ("people", float(value)) if value >= 0 else None
    if value == "rest":
        return ("rest", 0.0)
    match = SHARE.match(str(value))
    if match and 0 < float(match.group(1)) <= 100:
        return ("share", float(match.group(1)) / 100)
    return None


class _Checker:
    def __init__(self, doc: MarkedDocument, scenario: Scenario, prefix: str) -> None:
        self.doc = doc
        self.prefix = prefix
        self.scenario = scenario
        self.problems: list[Problem] = []
        self.movements = {m.id for m in scenario.movements}
        self.groups: dict[str, tuple[str, ...]] = {}
        """Movement groups of the agreement: terms may name them where they name a movement."""
        self.roles = {o.id: o.role for o in scenario.organisations}
        self.corridors = {c.id for c in scenario.corridors}
        self.sites = {s.id for s in scenario.sites}
        self.incident_kinds: tuple[str, ...] = ()

    def fail(self, path: str, message: str) -> None:
        line, column = self.doc.where(path)
        shown = f"{self.prefix}.{path}" if self.prefix and path else (self.prefix or path)
        self.problems.append(Problem(self.doc.filename, line, column, shown, message))

    def movement(self, value: str, path: str) -> None:
        if value not in self.movements and value not in self.groups:
            groups = f"; movement_groups: {_choices(set(self.groups))}" if self.groups else ""
            self.fail(
                path,
                f"unknown movement {value!r}; the scenario declares: "
                f"{_choices(self.movements)}{groups}",
            )

    def movement_groups(self, model: AgreementFile) -> None:
        """Group ids unique and unlike any movement's; members are movements, once each."""
        for i, group in enumerate(model.movement_groups):
            where = f"movement_groups[{i}]"
            if group.id in self.movements:
                self.fail(
                    f"{where}.id",
                    f"{group.id!r} is a movement of the scenario; a group needs an id of its own",
                )
            elif group.id in self.groups:
                self.fail(f"{where}.id", f"movement group {group.id!r} is declared twice")
            seen: set[str] = set()
            for j, member in enumerate(group.movements):
                if member not in self.movements:
                    self.fail(
                        f"{where}.movements[{j}]",
                        f"unknown movement {member!r}; the scenario declares: "
                        f"{_choices(self.movements)}",
                    )
                elif member in seen:
                    self.fail(f"{where}.movements[{j}]", f"{member!r} is listed twice")
                seen.add(member)
            self.groups.setdefault(group.id, tuple(group.movements))

    def overlapping(self, movement: str, linked: str) -> bool:
        """Whether two sides of a link share a movement (through groups or directly)."""
        mine = set(self.groups.get(movement, (movement,)))
        return bool(mine & set(self.groups.get(linked, (linked,))))

    def organisation(self, value: str, path: str, role: Role | None) -> None:
        if value not in self.roles:
            self.fail(
                path,
                f"unknown {role.value if role else 'organisation'} {value!r}; the scenario's "
                f"organisations are: {_choices(set(self.roles))}",
            )
        elif role is not None and self.roles[value] is not role:
            self.fail(
                path, f"{value!r} is a {self.roles[value].value} in the scenario, not a {role}"
            )

    def check(self, model: AgreementFile) -> None:
        self.incident_kinds = incident_vocabulary(
            model.incident_kinds, self.scenario.incident_kinds
        )
        seen_kinds: set[str] = set()
        for i, kind in enumerate(model.incident_kinds):
            if kind in seen_kinds:
                self.fail(f"incident_kinds[{i}]", f"incident kind {kind!r} is listed twice")
            seen_kinds.add(kind)
        self.movement_groups(model)
        for field, role in (
            ("parties", Role.PARTY),
            ("guarantors", Role.GUARANTOR),
            ("monitors", Role.MONITOR),
        ):
            for i, org in enumerate(getattr(model, field)):
                self.organisation(org, f"{field}[{i}]", role)
        seen: dict[str, int] = {}
        for i, term in enumerate(model.terms):
            where = f"terms[{i}]"
            if term.id in seen:
                self.fail(
                    f"{where}.id",
                    f"duplicate term id {term.id!r} (first at terms[{seen[term.id]}])",
                )
            seen.setdefault(term.id, i)
            if isinstance(term, WindowTerm):
                self.window(term, where)
            elif isinstance(term, StagedLinkTerm):
                self.staged(term, where)
            elif isinstance(term, PacedLinkTerm):
                self.pair(term.movement, term.linked, where)
            elif isinstance(term, SuspensionTerm):
                self.suspension(term, where)
            elif isinstance(term, PriorityTerm):
                for j, m in enumerate(term.movements):
                    self.movement(m, f"{where}.movements[{j}]")
            elif isinstance(term, CapTerm):
                self.movement(term.movement, f"{where}.movement")

    def pair(self, movement: str, linked: str, where: str) -> None:
        self.movement(movement, f"{where}.movement")
        self.movement(linked, f"{where}.linked")
        if movement == linked:
            self.fail(f"{where}.linked", f"a link needs two movements; both are {movement!r}")
        elif self.overlapping(movement, linked):
            self.fail(
                f"{where}.linked",
                f"a link needs two sides with no movement in common; {movement!r} and "
                f"{linked!r} share one",
            )

    def window(self, term: WindowTerm, where: str) -> None:
        for j, m in enumerate(term.movements):
            self.movement(m, f"{where}.movements[{j}]")
        if term.until < term.from_:
            self.fail(
                f"{where}.until",
                f"the window ends {term.until.isoformat()}, before it starts "
                f"{term.from_.isoformat()}",
            )
        opens, closes = minutes(term.hours)
        if opens >= 1440 or closes > 1440:
            self.fail(
                f"{where}.hours",
                f"hours open before 24:00 and close by 24:00, found {term.hours!r}",
            )
        elif opens % 1440 == closes % 1440 and not (opens == 0 and closes == 1440):
            self.fail(
                f"{where}.hours",
                f"opening and closing hours are the same ({term.hours!r}); "
                "write 00:00-24:00 for the whole day",
            )

    def staged(self, term: StagedLinkTerm, where: str) -> None:
        self.pair(term.movement, term.linked, where)
        self.organisation(term.confirmed_by, f"{where}.confirmed_by", Role.MONITOR)
        sides = {term.movement, term.linked}
        rests = {term.movement: 0, term.linked: 0}
        for k, stage in enumerate(term.stages):
            path = f"{where}.stages[{k}]"
            for key, value in stage.items():
                if key == STAGE_NOTE:
                    continue
                if key not in sides:
                    self.fail(
                        f"{path}.{key}",
                        f"a stage names only {term.movement!r}, {term.linked!r} and 'note', "
                        f"found {key!r}",
                    )
                    continue
                parsed = stage_value(value)
                if parsed is None:
                    self.fail(
                        f"{path}.{key}",
                        "expected a whole number of people, a share like '50%', or 'rest', "
                        f"found {value!r}",
                    )
                elif parsed[0] == "rest":
                    rests[key] += 1
                    if rests[key] > 1:
                        self.fail(
                            f"{path}.{key}",
                            f"'rest' may appear once per side; {key!r} has it twice",
                        )
            for side in sorted(sides - set(stage)):
                self.fail(path, f"stage {k + 1} does not say how many of {side!r} it covers")

    def suspension(self, term: SuspensionTerm, where: str) -> None:
        for j, m in enumerate(term.movements):
            self.movement(m, f"{where}.movements[{j}]")
        for j, org in enumerate(term.lifted_by):
            self.organisation(org, f"{where}.lifted_by[{j}]", None)
        for j, kind in enumerate(term.incident_kinds):
            # A misspelt kind would make the term match nothing: a convoy
            # would roll after a verified shooting. Refuse it here.
            if kind not in self.incident_kinds:
                self.fail(
                    f"{where}.incident_kinds[{j}]",
                    f"unknown incident kind {kind!r}; declared incident_kinds are: "
                    f"{_choices(set(self.incident_kinds))}",
                )
        if term.corridor is not None and term.corridor not in self.corridors:
            self.fail(
                f"{where}.corridor",
                f"unknown corridor {term.corridor!r}; the scenario declares: "
                f"{_choices(self.corridors)}",
            )
        for j, site in enumerate(term.sites):
            if site not in self.sites:
                self.fail(
                    f"{where}.sites[{j}]",
                    f"unknown site {site!r}; the scenario declares: {_choices(self.sites)}",
                )
        if isinstance(term.needed, int) and term.needed > len(term.lifted_by):
            self.fail(
                f"{where}.needed",
                f"needs {term.needed} resumes but names only {len(term.lifted_by)} "
                "organisations in lifted_by",
            )


def cross_check(
    model: AgreementFile, doc: MarkedDocument, scenario: Scenario, prefix: str = ""
) -> list[Problem]:
    """Every reference and cross-field problem of a shape-valid agreement."""
    checker = _Checker(doc, scenario, prefix)
    checker.check(model)
    return checker.problems


def raw_terms(data: Any) -> list[Any]:
    """The `terms` list as written, for positions (empty when absent or malformed)."""
    if isinstance(data, dict) and isinstance(data.get("terms"), list):
        return list(data["terms"])
    return []
