"""The deal in plain language: one line per term, in words a negotiator would use.

Generated from the term values, not from the clause text, so a line that
reads wrong shows what the engine will actually enforce.
"""

from __future__ import annotations

from corridor.domain.agreement.terms import (
    Agreement,
    Cap,
    PacedLink,
    Priority,
    StagedLink,
    Suspension,
    Term,
    Window,
    clock,
)


def _list(names: tuple[str, ...] | list[str], last: str = "and") -> str:
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} {last} {names[-1]}"


def _figure(people: int, label: str) -> str:
    return f"{people:,} ({label})" if label else f"{people:,}"


def describe(term: Term, timezone: str = "") -> str:
    """One sentence saying what `term` lets or stops, with its figures."""
    if isinstance(term, Window):
        zone = term.timezone or timezone
        days = (
            f"on {term.first_day.isoformat()}"
            if term.first_day == term.last_day
            else f"from {term.first_day.isoformat()} to {term.last_day.isoformat()}"
        )
        opens, closes = clock(term.opens), clock(term.closes)
        if term.minutes_open_per_day >= 1440:
            hours = "at any hour"
        elif term.overnight:
            hours = f"from {opens} each evening to {closes} the next morning"
        else:
            hours = f"between {opens} and {closes}"
        return f"{_list(list(term.movements))} may move {days}, {hours} ({zone} time)."
    if isinstance(term, StagedLink):
        steps = []
        for k, stage in enumerate(term.stages, start=1):
            mine = _figure(stage.movement_people, stage.movement_label)
            theirs = _figure(stage.linked_people, stage.linked_label)
            head = f"stage {k}" + (f" ({stage.note})" if stage.note else "")
            if stage.linked_people == 0:
                steps.append(f"{head}: {mine} of {term.movement} go without condition")
            else:
                steps.append(
                    f"{head}: {mine} of {term.movement} go once {theirs} of "
                    f"{term.linked} are confirmed by {term.confirmed_by}"
                )
        return f"In {len(term.stages)} stages. " + "; then ".join(steps) + "."
    if isinstance(term, PacedLink):
        extra = f", plus {term.allowance:,}" if term.allowance else ""
        many = "1 person" if term.ratio == 1 else f"{term.ratio:g} people"
        return (
            f"{term.movement} may move at most {many} for each person of {term.linked} "
            f"moved{extra}."
        )
    if isinstance(term, Suspension):
        kinds = _list(list(term.incident_kinds), "or") or "any kind"
        where = f"on corridor {term.corridor}" if term.corridor else "on any corridor"
        if term.sites:
            where += f" at {_list(list(term.sites), 'or')}"
        if len(term.lifted_by) == 1:
            who = f"{term.lifted_by[0]} records a resume"
        elif term.needed >= len(term.lifted_by):
            who = f"all of {_list(list(term.lifted_by))} record a resume"
        else:
            who = f"any {term.needed} of {_list(list(term.lifted_by), 'or')} record a resume"
        return (
            f"A verified incident ({kinds}, severity {term.min_severity} or more) {where} halts "
            f"{_list(list(term.movements))} until {who}."
        )
    if isinstance(term, Priority):
        parts = []
        if term.first and term.pace == "proportional":
            parts.append(
                f"{_list([g.value for g in term.first])} of {_list(list(term.movements))} "
                "are never behind: the share of them moved is always at least the share of "
                "everyone else moved"
            )
        elif term.first:
            parts.append(
                f"{_list([g.value for g in term.first])} of {_list(list(term.movements))} "
                "leave before anyone else"
            )
        if term.keep_households:
            parts.append("no household is split across trips")
        return "; ".join(parts).capitalize() + "."
    assert isinstance(term, Cap)
    who = term.group.value if term.group else "people"
    return f"At most {term.limit:,} {who} may leave with {term.movement}."


def explain(agreement: Agreement) -> list[tuple[str, str, str]]:
    """(term id, kind, sentence) for every term, in the agreement's order.

    Movement groups come first (id, `movement-group`, what they count together),
    so a term naming one reads plainly.
    """
    groups = [
        (
            g.id,
            "movement-group",
            f"{g.id} counts {_list(g.movements)} together: a link or cap on {g.id} counts "
            f"their people as one figure; a window, suspension or priority on it applies "
            f"to each.",
        )
        for g in agreement.movement_groups
    ]
    return groups + [(t.id, t.kind.value, describe(t, agreement.timezone)) for t in agreement.terms]
