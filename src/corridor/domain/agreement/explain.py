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
        hours = "at any hour" if term.minutes_open_per_day >= 1440 else f"between {term.hours}"
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
        extra = f" plus {term.allowance:,}" if term.allowance else ""
        return (
            f"{term.movement} may have moved at most {term.ratio:g} people for every person of "
            f"{term.linked} moved{extra}."
        )
    if isinstance(term, Suspension):
        kinds = _list(list(term.incident_kinds), "or") or "any kind"
        where = f"on corridor {term.corridor}" if term.corridor else "on any corridor"
        who = (
            f"all of {_list(list(term.lifted_by))}"
            if term.needed >= len(term.lifted_by)
            else f"any {term.needed} of {_list(list(term.lifted_by))}"
        )
        return (
            f"A verified incident ({kinds}, severity {term.min_severity} or more) {where} halts "
            f"{_list(list(term.movements))} until {who} record a resume."
        )
    if isinstance(term, Priority):
        parts = []
        if term.first:
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
    """(term id, kind, sentence) for every term, in the agreement's order."""
    return [(t.id, t.kind.value, describe(t, agreement.timezone)) for t in agreement.terms]
