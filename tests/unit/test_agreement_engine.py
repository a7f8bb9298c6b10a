"""The agreement engine decides each kind of term as the deal says, and says why."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from corridor.domain.agreement import (
    AgreementState,
    ConfirmStage,
    CrossCheckpoint,
    DispatchTrip,
    HouseholdAboard,
    IncidentRefuted,
    IncidentReported,
    IncidentVerified,
    RecordResume,
    Request,
    Window,
    consequences,
    decide,
)
from corridor.domain.agreement.explain import explain
from corridor.domain.scenario import Group
from tests.support.agreement_world import (
    at,
    cap,
    deal,
    paced,
    priority,
    staged,
    suspension,
    window,
    world,
)


def civilians(movement: str, n: int, when: int = 9) -> DispatchTrip:
    return DispatchTrip(movement, "bus", at(16, when), ((Group.CIVILIANS, n),))


def run(state: AgreementState, *requests: Request) -> AgreementState:
    """Decide and record each request in turn; every one must be allowed."""
    for request in requests:
        decision = decide(state, request)
        assert decision.allowed, decision.explanation
        state = state.fold(consequences(request, decision))
    return state


def shooting(state: AgreementState, incident: str = "i1", severity: int = 4) -> AgreementState:
    return state.fold(
        [
            IncidentReported(incident, "shooting", severity, "north-road", "gate", "un", at(16, 8)),
            IncidentVerified(incident, "un", at(16, 8, 30)),
        ]
    )


@pytest.mark.parametrize(
    ("hour", "day", "allowed"),
    [(9, 16, True), (5, 16, False), (18, 16, False), (17, 20, True), (9, 21, False)],
)
def test_a_window_allows_only_its_days_and_hours(hour: int, day: int, allowed: bool) -> None:
    """A dispatch is allowed inside 15-20 Dec 06:00-18:00 local and blocked outside."""
    state = AgreementState.start(deal(window()), world())
    trip = DispatchTrip("north", "bus", at(day, hour), ((Group.CIVILIANS, 10),))
    decision = decide(state, trip)
    assert decision.allowed is allowed
    assert decision.terms == (("T1", "window"),)


def test_an_overnight_window_belongs_to_the_day_it_opens() -> None:
    """20:00-04:00 from the 15th to the 16th admits 03:00 on the 17th but not 20:00 that day."""
    night = Window("T1", "Nights.", ("north",), date(2016, 12, 15), date(2016, 12, 16), 1200, 240)
    state = AgreementState.start(deal(night), world())
    early = DispatchTrip("north", "bus", at(17, 3), ((Group.CIVILIANS, 1),))
    late = DispatchTrip("north", "bus", at(17, 20), ((Group.CIVILIANS, 1),))
    assert decide(state, early).allowed
    assert not decide(state, late).allowed


def test_a_verified_incident_halts_until_every_guarantor_resumes() -> None:
    """Shooting halts north and south; one resume of two keeps the halt, the second lifts it."""
    state = shooting(AgreementState.start(deal(suspension()), world()))
    blocked = decide(state, civilians("south", 10))
    assert not blocked.allowed
    assert blocked.terms == (("T3", "suspension"),)
    assert "resumed by 0 of 2" in blocked.explanation
    state = run(state, RecordResume("T3", "russia", at(16, 9)))
    assert not decide(state, civilians("south", 10)).allowed
    state = run(state, RecordResume("T3", "turkey", at(16, 10)))
    assert decide(state, civilians("south", 10)).allowed


def test_any_one_of_two_guarantors_lifts_a_halt_that_needs_one() -> None:
    """With needed=1, a single resume lifts the halt."""
    state = shooting(AgreementState.start(deal(suspension(needed=1)), world()))
    state = run(state, RecordResume("T3", "turkey", at(16, 9)))
    assert decide(state, civilians("north", 10)).allowed


@pytest.mark.parametrize(
    ("change", "halts"),
    [
        (lambda s: s, True),
        (lambda s: s.apply(IncidentRefuted("i1", "icrc", at(16, 9))), False),
    ],
    ids=["verified", "then-refuted"],
)
def test_a_refuted_incident_withdraws_its_halt(change: object, halts: bool) -> None:
    """Refuting a verified incident lifts the halt it caused."""
    state = shooting(AgreementState.start(deal(suspension()), world()))
    state = change(state)  # type: ignore[operator]
    assert decide(state, civilians("north", 5)).allowed is not halts


@pytest.mark.parametrize(
    ("kind", "severity", "halts"),
    [("shooting", 3, True), ("shooting", 2, False), ("detention", 5, False)],
)
def test_only_matching_verified_incidents_halt(kind: str, severity: int, halts: bool) -> None:
    """Incidents of another kind or below the minimum severity halt nothing."""
    state = AgreementState.start(deal(suspension()), world()).fold(
        [
            IncidentReported("i", kind, severity, "north-road", "gate", "un", at(16, 8)),
            IncidentVerified("i", "un", at(16, 8)),
        ]
    )
    assert decide(state, civilians("north", 5)).allowed is not halts


def test_an_unverified_incident_halts_nothing() -> None:
    """A reported but unverified incident leaves the movement free."""
    state = AgreementState.start(deal(suspension()), world()).apply(
        IncidentReported("i", "shooting", 5, "north-road", "gate", "un", at(16, 8))
    )
    assert decide(state, civilians("north", 5)).allowed


@pytest.mark.parametrize(
    ("guarantor", "reason"),
    [("icrc", "not among its guarantors"), ("russia", "no halt under T3 stands")],
)
def test_a_resume_is_refused_from_a_non_guarantor_or_without_a_halt(
    guarantor: str, reason: str
) -> None:
    """Resumes count only from a named guarantor, and only while a halt stands."""
    state = AgreementState.start(deal(suspension()), world())
    if guarantor == "icrc":
        state = shooting(state)
    decision = decide(state, RecordResume("T3", guarantor, at(16, 9)))
    assert not decision.allowed
    assert reason in decision.explanation


def test_staged_link_releases_each_stage_after_the_matching_confirmation() -> None:
    """North's stage k waits for south's stage k to be confirmed by icrc, and says so."""
    state = AgreementState.start(deal(staged()), world())
    blocked = decide(state, civilians("north", 40))
    assert not blocked.allowed
    assert blocked.explanation == (
        "Blocked by T2 (staged link north <- south): stage 1 of north needs stage 1 of south "
        "confirmed by icrc; 0 of 100 confirmed."
    )
    state = run(state, civilians("south", 60), ConfirmStage("south", "icrc", 60, at(16, 9)))
    assert "60 of 100 confirmed" in decide(state, civilians("north", 40)).explanation
    state = run(state, civilians("south", 40), ConfirmStage("south", "icrc", 40, at(16, 10)))
    state = run(state, *[civilians("north", 50) for _ in range(10)])
    second = decide(state, civilians("north", 1))
    assert not second.allowed
    assert "stage 2 of north needs stage 2 of south" in second.explanation
    assert dict(second.findings[0].figures)["stage"] == 2


def test_confirmations_by_another_monitor_do_not_release_a_stage() -> None:
    """Only the monitor the link names can confirm its stages."""
    state = AgreementState.start(deal(staged()), world())
    state = run(state, civilians("south", 100), ConfirmStage("south", "un", 100, at(16, 9)))
    assert not decide(state, civilians("north", 1)).allowed


def test_a_monitor_cannot_confirm_more_than_was_dispatched() -> None:
    """Confirming 10 when nobody left is blocked by the scenario's own count."""
    state = AgreementState.start(deal(staged()), world())
    decision = decide(state, ConfirmStage("south", "icrc", 10, at(16, 9)))
    assert not decision.allowed
    assert "only 0 have been dispatched" in decision.explanation


def test_a_trip_beyond_the_last_stage_is_blocked() -> None:
    """Stages cover 1,020 of north; the 1,021st person is outside the deal."""
    state = AgreementState.start(deal(staged()), world())
    state = run(state, civilians("south", 200), ConfirmStage("south", "icrc", 200, at(16, 9)))
    state = run(state, *[civilians("north", 51) for _ in range(20)])
    decision = decide(state, civilians("north", 1))
    assert not decision.allowed
    assert "stages cover 1,020 of north, and 1,020 have gone" in decision.explanation


def test_a_trip_that_starts_in_a_released_stage_may_finish_its_load_past_it() -> None:
    """With 490 of stage 1's 500 gone, a bus of 40 may leave; the next one may not."""
    state = AgreementState.start(deal(staged()), world())
    state = run(state, civilians("south", 100), ConfirmStage("south", "icrc", 100, at(16, 9)))
    state = run(state, civilians("north", 490), civilians("north", 40))
    decision = decide(state, civilians("north", 1))
    assert not decision.allowed
    assert dict(decision.findings[0].figures)["stage"] == 2


@pytest.mark.parametrize(
    ("south", "north", "allowed"),
    [(0, 50, True), (0, 51, False), (10, 100, True), (10, 101, False)],
)
def test_paced_link_keeps_the_ratio_plus_allowance(south: int, north: int, allowed: bool) -> None:
    """North may have moved at most 5 x south + 50."""
    state = AgreementState.start(deal(paced()), world())
    if south:
        state = run(state, civilians("south", south))
    decision = decide(state, civilians("north", north))
    assert decision.allowed is allowed
    assert dict(decision.findings[-1].figures)["ceiling"] == 5 * south + 50


def test_cap_counts_only_its_group() -> None:
    """Ten fighters fit a cap of ten; the eleventh does not; civilians are not counted."""
    state = AgreementState.start(deal(cap()), world())
    ten = DispatchTrip("north", "bus", at(16, 9), ((Group.FIGHTERS, 10), (Group.CIVILIANS, 30)))
    state = run(state, ten)
    one = DispatchTrip("north", "bus", at(16, 9), ((Group.FIGHTERS, 1),))
    decision = decide(state, one)
    assert not decision.allowed
    assert decision.terms == (("T5", "cap"),)
    assert "11 fighters of north after this trip, over the cap of 10" in decision.explanation


def test_wounded_leave_before_others_and_households_stay_whole() -> None:
    """Civilians wait while wounded remain; a split household is refused."""
    state = AgreementState.start(deal(priority()), world(wounded=20))
    assert not decide(state, civilians("north", 10)).allowed
    mixed = DispatchTrip(
        "north", "bus", at(16, 9), ((Group.WOUNDED_SEATED, 20), (Group.CIVILIANS, 5))
    )
    assert decide(state, mixed).allowed
    state = run(state, DispatchTrip("north", "amb", at(16, 9), ((Group.WOUNDED_SEATED, 20),)))
    assert decide(state, civilians("north", 10)).allowed
    split = DispatchTrip(
        "north", "bus", at(16, 9), ((Group.CIVILIANS, 3),), (HouseholdAboard("h7", 3, 5),)
    )
    decision = decide(state, split)
    assert not decision.allowed
    assert "households h7 would be split" in decision.explanation


@pytest.mark.parametrize(
    ("request_", "reason"),
    [
        (civilians("nowhere", 5), "movement 'nowhere' is not in the scenario"),
        (
            DispatchTrip("south", "bus", at(16, 9), ((Group.FIGHTERS, 5),)),
            "fighters may not leave with south",
        ),
        (civilians("north", 0), "positive number of people"),
        (CrossCheckpoint("north", "bus", "south", at(16, 9)), "not on corridor north-road"),
        (ConfirmStage("north", "russia", 1, at(16, 9)), "russia is not a monitor"),
        (RecordResume("T1", "russia", at(16, 9)), "T1 is not a suspension term"),
    ],
)
def test_requests_the_scenario_rules_out_are_blocked_with_the_reason(
    request_: Request, reason: str
) -> None:
    """Unknown movements, ineligible groups, empty loads and off-corridor sites are refused."""
    state = AgreementState.start(deal(window()), world())
    decision = decide(state, request_)
    assert not decision.allowed
    assert reason in decision.explanation


def test_an_allowed_dispatch_names_every_term_that_allowed_it() -> None:
    """Allowed decisions cite window, suspension, cap, link and priority terms alike."""
    terms = (window(), suspension(), cap(), paced(), priority())
    state = AgreementState.start(deal(*terms), world(wounded=0))
    decision = decide(state, civilians("north", 10))
    assert decision.allowed
    assert [t for t, _ in decision.terms] == ["T1", "T3", "T5", "T4", "T6"]
    assert decision.explanation.startswith("Allowed by T1 (window for north, south): ")


def test_crossing_a_checkpoint_obeys_windows_and_halts() -> None:
    """A vehicle may cross its corridor's checkpoint in hours, and not during a halt."""
    state = AgreementState.start(deal(window(), suspension()), world())
    crossing = CrossCheckpoint("north", "bus", "gate", at(16, 9), 40)
    assert decide(state, crossing).allowed
    assert not decide(shooting(state), crossing).allowed


def test_explain_gives_one_plain_line_per_term() -> None:
    """Every term has a sentence; the staged one names stages, monitor and figures."""
    agreement = deal(window(), staged(), suspension(), paced(), cap(), priority())
    lines = explain(agreement)
    assert [t for t, _, _ in lines] == [t.id for t in agreement.terms]
    text = {t: s for t, _, s in lines}
    assert text["T2"] == (
        "In 2 stages. stage 1: 500 of north go once 100 of south are confirmed by icrc; "
        "then stage 2: 520 of north go once 100 of south are confirmed by icrc."
    )
    assert text["T3"].endswith("until all of russia and turkey record a resume.")


@pytest.mark.parametrize(
    ("wounded_gone", "leaving", "allowed"),
    [(0, 1, False), (2, 100, True), (2, 101, False), (20, 1000, True)],
)
def test_proportional_priority_keeps_the_wounded_at_least_as_far_along(
    wounded_gone: int, leaving: int, allowed: bool
) -> None:
    """With 20 wounded and 1,000 civilians, 2 wounded gone let 100 civilians go, not 101."""
    paced_priority = replace(priority(), pace="proportional", keep_households=False)
    state = AgreementState.start(deal(paced_priority), world(wounded=20))
    if wounded_gone:
        gone = DispatchTrip("north", "amb", at(16, 9), ((Group.WOUNDED_SEATED, wounded_gone),))
        state = run(state, gone)
    decision = decide(state, civilians("north", leaving))
    assert decision.allowed is allowed
