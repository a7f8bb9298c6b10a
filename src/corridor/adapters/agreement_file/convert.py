"""Build the domain's `Agreement` from a checked file, resolving stage figures.

Shares and `rest` are turned into whole people against the scenario's
population for that movement, and the phrase is kept as the stage's label
("50%", "the rest"), so explanations show both what the deal
said and what the engine counts.
"""

from __future__ import annotations

from corridor.adapters.agreement_file.checks import STAGE_NOTE, minutes, stage_value
from corridor.adapters.agreement_file.models import (
    AgreementFile,
    CapTerm,
    PacedLinkTerm,
    PriorityTerm,
    StagedLinkTerm,
    SuspensionTerm,
    WindowTerm,
)
from corridor.domain.agreement import (
    Agreement,
    Cap,
    MovementGroup,
    PacedLink,
    Priority,
    Stage,
    StagedLink,
    Suspension,
    Term,
    Window,
)
from corridor.domain.scenario import Scenario


def _side(stages: list[dict[str, int | str]], movement: str, people: int) -> list[tuple[int, str]]:
    """(people, label) for one side of every stage."""
    parsed = [stage_value(stage[movement]) for stage in stages]
    fixed = 0
    for kind_value in parsed:
        assert kind_value is not None
        kind, value = kind_value
        if kind == "people":
            fixed += int(value)
        elif kind == "share":
            fixed += round(people * value)
    out: list[tuple[int, str]] = []
    for stage, kind_value in zip(stages, parsed, strict=True):
        assert kind_value is not None
        kind, value = kind_value
        if kind == "people":
            out.append((int(value), ""))
        elif kind == "share":
            n = round(people * value)
            out.append((n, str(stage[movement])))
        else:
            n = max(people - fixed, 0)
            out.append((n, "the rest"))
    return out


def _people(name: str, scenario: Scenario, groups: dict[str, tuple[str, ...]]) -> int:
    """People of a movement, or of every movement of a movement group."""
    return sum(scenario.people(m) for m in groups.get(name, (name,)))


def _staged(
    term: StagedLinkTerm, scenario: Scenario, groups: dict[str, tuple[str, ...]]
) -> StagedLink:
    mine = _side(term.stages, term.movement, _people(term.movement, scenario, groups))
    theirs = _side(term.stages, term.linked, _people(term.linked, scenario, groups))
    notes = [str(stage.get(STAGE_NOTE, "")) for stage in term.stages]
    stages = tuple(
        Stage(m, t, ml, tl, note)
        for (m, ml), (t, tl), note in zip(mine, theirs, notes, strict=True)
    )
    return StagedLink(term.id, term.text, term.movement, term.linked, term.confirmed_by, stages)


def to_term(
    term: object, scenario: Scenario, groups: dict[str, tuple[str, ...]] | None = None
) -> Term:
    if isinstance(term, WindowTerm):
        opens, closes = minutes(term.hours)
        return Window(
            term.id,
            term.text,
            tuple(term.movements),
            term.from_,
            term.until,
            opens,
            closes,
            term.timezone,
        )
    if isinstance(term, StagedLinkTerm):
        return _staged(term, scenario, groups or {})
    if isinstance(term, PacedLinkTerm):
        return PacedLink(term.id, term.text, term.movement, term.linked, term.ratio, term.allowance)
    if isinstance(term, SuspensionTerm):
        needed = len(term.lifted_by) if term.needed == "all" else term.needed
        return Suspension(
            term.id,
            term.text,
            tuple(term.movements),
            tuple(term.lifted_by),
            needed,
            tuple(term.incident_kinds),
            term.min_severity,
            term.corridor or "",
            tuple(term.sites),
        )
    if isinstance(term, PriorityTerm):
        return Priority(
            term.id,
            term.text,
            tuple(term.movements),
            tuple(term.first),
            term.keep_households,
            term.pace,
        )
    assert isinstance(term, CapTerm)
    return Cap(term.id, term.text, term.movement, term.limit, term.group)


def to_domain(model: AgreementFile, scenario: Scenario) -> Agreement:
    """The domain agreement; `model` must have passed `cross_check` against `scenario`."""
    groups = {g.id: tuple(g.movements) for g in model.movement_groups}
    return Agreement(
        id=model.id,
        name=model.name,
        version_note=model.version_note,
        timezone=model.timezone or scenario.timezone,
        terms=tuple(to_term(t, scenario, groups) for t in model.terms),
        parties=tuple(model.parties),
        guarantors=tuple(model.guarantors),
        monitors=tuple(model.monitors),
        description=model.description,
        incident_kinds=tuple(model.incident_kinds),
        movement_groups=tuple(
            MovementGroup(g.id, tuple(g.movements), g.name) for g in model.movement_groups
        ),
    )
