"""`decide(state, request) -> Decision`: the deal's answer to one request, and why.

Pure and deterministic: the same state and request always give the same
decision. Findings are listed in a fixed order (scenario facts, then terms by
kind in agreement order), so explanations never depend on dict order.
"""

from __future__ import annotations

from corridor.domain.agreement import checks
from corridor.domain.agreement.decisions import Decision, Figure, Finding
from corridor.domain.agreement.requests import (
    ConfirmStage,
    CrossCheckpoint,
    DispatchTrip,
    RecordResume,
    Request,
)
from corridor.domain.agreement.rulebook import MovementRules
from corridor.domain.agreement.state import AgreementState

NO_RULES = MovementRules()


def decide(state: AgreementState, request: Request) -> Decision:
    """Allowed or blocked, with every term consulted and the figures it used."""
    if isinstance(request, DispatchTrip):
        findings = _dispatch(state, request)
    elif isinstance(request, CrossCheckpoint):
        findings = _cross(state, request)
    elif isinstance(request, ConfirmStage):
        findings = _confirm(state, request)
    else:
        findings = _resume(state, request)
    allowed = True
    for finding in findings:
        if not finding.passed:
            allowed = False
            break
    return Decision(allowed, request.kind, tuple(findings))


def _scenario(label: str, reason: str) -> Finding:
    return Finding("", "scenario", label, False, reason)


def _movement_known(state: AgreementState, movement: str) -> list[Finding]:
    if movement in state.rules.groups:
        return []
    return [_scenario("movements", f"movement {movement!r} is not in the scenario")]


def _dispatch(state: AgreementState, trip: DispatchTrip) -> list[Finding]:
    unknown = _movement_known(state, trip.movement)
    if unknown:
        return unknown
    findings: list[Finding] = []
    eligible = state.rules.groups[trip.movement]
    refused = [g.value for g, n in trip.load if n and g not in eligible]
    if refused:
        reason = f"{', '.join(sorted(refused))} may not leave with {trip.movement}"
        findings.append(_scenario("eligible groups", reason))
    if trip.people <= 0 or min(n for _, n in trip.load) < 0:
        findings.append(_scenario("load", "a trip must carry a positive number of people"))
    rules = state.rules.movements.get(trip.movement, NO_RULES)
    findings += checks.windows(rules, trip.movement, trip.at)
    findings += checks.suspensions(state, rules, trip.movement)
    findings += checks.caps(state, rules, trip)
    findings += checks.staged(state, rules, trip)
    findings += checks.paced(state, rules, trip)
    findings += checks.priorities(state, rules, trip)
    return findings


def _cross(state: AgreementState, crossing: CrossCheckpoint) -> list[Finding]:
    unknown = _movement_known(state, crossing.movement)
    if unknown:
        return unknown
    findings: list[Finding] = []
    if crossing.site not in state.rules.corridor_sites[crossing.movement]:
        corridor = state.rules.corridor[crossing.movement]
        reason = f"{crossing.site} is not on corridor {corridor} of {crossing.movement}"
        findings.append(_scenario("corridor", reason))
    rules = state.rules.movements.get(crossing.movement, NO_RULES)
    findings += checks.windows(rules, crossing.movement, crossing.at)
    findings += checks.suspensions(state, rules, crossing.movement)
    return findings


def _confirm(state: AgreementState, confirmation: ConfirmStage) -> list[Finding]:
    movement, monitor = confirmation.movement, confirmation.monitor
    unknown = _movement_known(state, movement)
    if unknown:
        return unknown
    findings: list[Finding] = []
    if not state.rules.is_monitor(monitor):
        findings.append(_scenario("monitors", f"{monitor} is not a monitor of the agreement"))
    dispatched = state.people(movement)
    after = state.confirmed_by(movement, monitor) + confirmation.people
    if confirmation.people <= 0:
        findings.append(_scenario("confirmation", "a confirmation must count at least one person"))
    elif after > dispatched:
        template = "{} would have confirmed {:,} of {} but only {:,} have been dispatched"
        over = (monitor, after, movement, dispatched)
        findings.append(Finding("", "scenario", "confirmation", False, template, over))
    rules = state.rules.movements.get(movement, NO_RULES)
    for link, ends in rules.confirmed_for:
        if link.confirmed_by != monitor:
            continue
        stage = min(checks.stage_of(ends, after), len(ends))
        start = ends[stage - 2] if stage > 1 else 0
        counted = min(after, ends[-1] if ends else 0) - start
        quota = ends[stage - 1] - start if ends else 0
        template = "counts toward stage {} of {}: {:,} of {:,} confirmed by {} after this"
        args = (stage, movement, max(counted, 0), quota, monitor)
        figures = (("stage", stage), ("confirmed_after", after), ("stage_quota", quota))
        findings.append(
            Finding(link.id, link.kind, rules.labels[link.id], True, template, args, figures)
        )
    return findings


def _resume(state: AgreementState, resume: RecordResume) -> list[Finding]:
    term = state.rules.suspensions.get(resume.term)
    if term is None:
        return [_scenario("terms", f"{resume.term} is not a suspension term of the agreement")]
    standing = sorted(h for h in state.halts if h[0] == term.id)
    figures: tuple[tuple[str, Figure], ...] = (
        ("halts", [h[1] for h in standing]),
        ("resumes_needed", term.needed),
    )
    if not state.rules.can_lift(term, resume.guarantor):
        reason = f"{resume.guarantor} is not among its guarantors ({', '.join(term.lifted_by)})"
        return [Finding(term.id, term.kind, term.label, False, reason, (), figures)]
    if not standing:
        reason = f"no halt under {term.id} stands to resume"
        return [Finding(term.id, term.kind, term.label, False, reason, (), figures)]
    resumed = sorted(state.halts[standing[0]] | {resume.guarantor})
    lifted = len(resumed) >= term.needed
    outcome = "lifts the halt" if lifted else "the halt stands"
    reason = f"resume by {resume.guarantor} makes {len(resumed)} of {term.needed} needed; {outcome}"
    figures = (*figures, ("resumed_by", resumed), ("lifts", lifted))
    return [Finding(term.id, term.kind, term.label, True, reason, (), figures)]
