"""The bundled East Aleppo deal walked through its stages, a halt and a resume."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from corridor.adapters.agreement_file import load_agreement_ref
from corridor.domain.agreement import (
    AgreementState,
    ConfirmStage,
    Decision,
    DispatchTrip,
    IncidentReported,
    IncidentVerified,
    RecordResume,
    Request,
    StagedLink,
    consequences,
    decide,
)
from corridor.domain.agreement.permit import dispatch_permit
from corridor.domain.scenario import Group

DAMASCUS = timezone(timedelta(hours=2))
NOON = datetime(2016, 12, 18, 12, tzinfo=DAMASCUS)
EA, FK, MZ = "east-aleppo", "foua-kefraya", "madaya-zabadani"
DEAL = load_agreement_ref("east-aleppo-2016")


def staged_link(term_id: str) -> StagedLink:
    term = DEAL.agreement.term(term_id)
    assert isinstance(term, StagedLink)
    return term


def sizes(ends: tuple[int, ...]) -> list[int]:
    """Stage sizes from cumulative stage ends."""
    return [b - a for a, b in zip((0, *ends), ends, strict=False)]


def wounded(movement: str) -> int:
    return sum(
        DEAL.scenario.people(movement, g) for g in (Group.WOUNDED_STRETCHER, Group.WOUNDED_SEATED)
    )


@pytest.fixture(scope="module")
def start() -> AgreementState:
    return AgreementState.start(DEAL.agreement, DEAL.scenario)


def trip(movement: str, people: int, group: Group = Group.CIVILIANS) -> DispatchTrip:
    return DispatchTrip(movement, "bus", NOON, ((group, people),))


def ask(state: AgreementState, request: Request) -> tuple[AgreementState, Decision]:
    decision = decide(state, request)
    return state.fold(consequences(request, decision)), decision


def send(
    state: AgreementState, movement: str, people: int, group: Group = Group.CIVILIANS
) -> AgreementState:
    """Dispatch `people` in loads of at most 500; every load must be allowed."""
    while people:
        load = min(people, 500)
        state, decision = ask(state, trip(movement, load, group))
        assert decision.allowed, decision.explanation
        people -= load
    return state


def confirm(state: AgreementState, movement: str, people: int) -> AgreementState:
    state, decision = ask(state, ConfirmStage(movement, "icrc", people, NOON))
    assert decision.allowed, decision.explanation
    return state


def blockers(decision: Decision) -> list[str]:
    assert not decision.allowed
    return [term for term, _ in decision.terms]


def wounded_out(state: AgreementState, movement: str) -> AgreementState:
    for group in (Group.WOUNDED_STRETCHER, Group.WOUNDED_SEATED):
        state = send(state, movement, state.rules.population[(movement, group)], group)
    return state


def test_east_aleppo_buses_wait_until_the_wounded_are_ahead(start: AgreementState) -> None:
    """At the outset only T5 holds east Aleppo's buses: no wounded person has left yet."""
    decision = decide(start, trip(EA, 40))
    assert blockers(decision) == ["T5"]
    assert "wounded-stretcher, wounded-seated of east-aleppo would fall behind" in (
        decision.explanation
    )
    ambulance = decide(start, trip(EA, 2, Group.WOUNDED_STRETCHER))
    assert ambulance.allowed
    assert "stage 1 of east-aleppo is released without condition" in ambulance.explanation


def test_foua_opens_the_exchange_without_condition(start: AgreementState) -> None:
    """Foua's wounded may leave at once; the allowing terms are T2, T6, T7, T10, T4 and T5."""
    decision = decide(start, trip(FK, 16, Group.WOUNDED_STRETCHER))
    assert decision.allowed
    assert [t for t, _ in decision.terms] == ["T2", "T6", "T7", "T10", "T4", "T5"]
    assert "stage 1 of foua-kefraya is released without condition" in decision.explanation


def test_the_deal_encodes_the_reported_stage_figures() -> None:
    """Foua/Kefraya goes as reported: 1,250, 1,250, then 1,500 for Madaya/Zabadani's 1,500."""
    assert sizes(staged_link("T4").movement_ends()) == [1_250, 1_250, 1_500]
    assert sizes(staged_link("T9").movement_ends()) == [0, 0, 1_500]
    assert sizes(staged_link("T9").linked_ends()) == [1_250, 1_250, 1_500]


def test_the_deal_runs_stage_by_stage_through_a_halt_and_a_resume(start: AgreementState) -> None:
    """Each second stage opens only when the other side's first is confirmed; a halt stops both."""
    half, everyone = staged_link("T3").movement_ends()
    foua, kefraya, _ = staged_link("T4").movement_ends()
    state = wounded_out(start, FK)
    state = send(state, FK, foua - wounded(FK))
    state = wounded_out(state, EA)
    state = send(state, EA, half - wounded(EA))
    # Kefraya (stage 2 of foua-kefraya) waits for half of east Aleppo, and the
    # rest of east Aleppo (its stage 2) for Foua.
    assert blockers(decide(state, trip(FK, 1))) == ["T4"]
    decision = decide(state, trip(EA, 40))
    assert blockers(decision) == ["T3"]
    assert (
        f"stage 2 of east-aleppo needs stage 2 of foua-kefraya confirmed by icrc; 0 of {foua:,}"
        in decision.explanation
    )

    # A verified shooting on the Ramouseh corridor halts both sides under T6.
    state = state.fold(
        [
            IncidentReported("i1", "shooting", 4, "ramouseh", "ramouseh", "un-monitors", NOON),
            IncidentVerified("i1", "un-monitors", NOON),
        ]
    )
    assert blockers(decide(state, trip(FK, 1))) == ["T6", "T4"]
    state, first = ask(state, RecordResume("T6", "russia", NOON))
    assert first.allowed
    assert "the halt stands" in first.explanation
    state, wrong = ask(state, RecordResume("T6", "iran", NOON))
    assert blockers(wrong) == ["T6"]
    state, second = ask(state, RecordResume("T6", "turkey", NOON))
    assert second.allowed
    assert "lifts the halt" in second.explanation

    state = confirm(state, FK, foua - 16)
    decision = decide(state, trip(EA, 40))
    assert decision.explanation == (
        "Blocked by T3 (staged link east-aleppo <- foua-kefraya): stage 2 of east-aleppo needs "
        f"stage 2 of foua-kefraya confirmed by icrc; {foua - 16:,} of {foua:,} confirmed."
    )
    state = confirm(state, FK, 16)
    state = send(state, EA, everyone - half)
    assert blockers(decide(state, trip(FK, 1))) == ["T4"]
    state = confirm(state, EA, half)
    state = send(state, FK, kefraya - foua)
    assert state.people(EA) == state.rules.people(EA)
    last = decide(state, trip(EA, 1))
    assert blockers(last) == ["T3"]
    assert f"its stages cover {everyone:,} of east-aleppo, and {everyone:,} have gone" in (
        last.explanation
    )
    walk_through_the_madaya_zabadani_stage(state)


def walk_through_the_madaya_zabadani_stage(state: AgreementState) -> None:
    """Stage 3: Foua/Kefraya's last people go first; Madaya/Zabadani once the ICRC confirms them."""
    fk_before, fk_all = staged_link("T4").movement_ends()[1:]
    mz_all = staged_link("T9").movement_ends()[-1]
    exchange = fk_all - fk_before
    decision = decide(state, trip(MZ, 50))
    assert decision.explanation == (
        "Blocked by T9 (staged link madaya-zabadani <- foua-kefraya): stage 3 of madaya-zabadani "
        f"needs stage 3 of foua-kefraya confirmed by icrc; 0 of {exchange:,} confirmed."
    )
    third = decide(state, trip(FK, 50))
    assert third.allowed
    assert "stage 3 of foua-kefraya is released without condition" in third.explanation
    state = send(state, FK, exchange)
    assert state.people(FK) == state.rules.people(FK)
    # Confirming Kefraya too (the first two stages in all) releases nothing on the Madaya side.
    state = confirm(state, FK, fk_before - state.confirmed_by(FK, "icrc"))
    assert blockers(decide(state, trip(MZ, 50))) == ["T9"]
    state = confirm(state, FK, exchange - 1)
    assert f"{exchange - 1:,} of {exchange:,} confirmed" in decide(state, trip(MZ, 50)).explanation
    state = confirm(state, FK, 1)
    released = decide(state, trip(MZ, 50))
    assert released.allowed
    assert (
        f"stage 3 of madaya-zabadani released: stage 3 of foua-kefraya confirmed by icrc "
        f"({exchange:,} of {exchange:,})"
    ) in released.explanation
    state = send(state, MZ, mz_all)
    assert state.people(MZ) == mz_all == state.rules.people(MZ)
    assert blockers(decide(state, trip(MZ, 1))) == ["T9"]


def test_an_attack_on_the_madaya_convoys_halts_every_side(start: AgreementState) -> None:
    """Under T10, a verified attack on the Madaya/Zabadani road halts Foua's wounded too."""
    state = start.fold(
        [
            IncidentReported("i3", "shelling", 4, MZ, "madaya", "sarc", NOON),
            IncidentVerified("i3", "sarc", NOON),
        ]
    )
    assert blockers(decide(state, trip(FK, 16, Group.WOUNDED_STRETCHER))) == ["T10"]
    state, _ = ask(state, RecordResume("T10", "turkey", NOON))
    state, _ = ask(state, RecordResume("T10", "iran", NOON))
    assert decide(state, trip(FK, 16, Group.WOUNDED_STRETCHER)).allowed


def test_an_attack_on_the_foua_convoys_needs_two_of_three_guarantors(
    start: AgreementState,
) -> None:
    """Under T7, Iran and Russia together lift a halt that one guarantor alone cannot."""
    state = start.fold(
        [
            IncidentReported("i2", "attack-on-vehicles", 5, FK, "foua", "icrc", NOON),
            IncidentVerified("i2", "icrc", NOON),
        ]
    )
    assert blockers(decide(state, trip(FK, 16, Group.WOUNDED_STRETCHER))) == ["T7"]
    state, _ = ask(state, RecordResume("T7", "iran", NOON))
    assert not decide(state, trip(FK, 16, Group.WOUNDED_STRETCHER)).allowed
    state, _ = ask(state, RecordResume("T7", "russia", NOON))
    assert decide(state, trip(FK, 16, Group.WOUNDED_STRETCHER)).allowed


def test_nothing_moves_after_the_window_closes(start: AgreementState) -> None:
    """On 1 January 2017 T2 blocks Foua's wounded, who were free on 31 December."""
    late = DispatchTrip(
        FK, "amb", datetime(2017, 1, 1, 9, tzinfo=DAMASCUS), ((Group.WOUNDED_SEATED, 4),)
    )
    assert blockers(decide(start, late)) == ["T2"]
    in_time = replace(late, at=datetime(2016, 12, 31, 23, 59, tzinfo=DAMASCUS))
    assert decide(start, in_time).allowed


def test_a_permit_stops_holding_when_the_movement_reaches_its_stage_boundary(
    start: AgreementState,
) -> None:
    """East Aleppo's stage-1 permit stops holding once stage 1 is out; the fresh one is shut."""
    link = staged_link("T3")
    half = link.movement_ends()[0]
    state = wounded_out(start, EA)
    permit = dispatch_permit(state, EA, NOON)
    assert permit.open
    assert permit.holds(state)
    state = send(state, EA, half - state.people(EA) - 1)
    assert permit.holds(state)
    state = send(state, EA, 1)
    assert not permit.holds(state)
    fresh = dispatch_permit(state, EA, NOON)
    load = ((Group.CIVILIANS, 50),)
    assert not fresh.allows(state, load)
    assert fresh.allows(state, load) is decide(state, trip(EA, 50)).allowed


def test_a_held_permit_stops_holding_once_the_other_side_releases_the_stage(
    start: AgreementState,
) -> None:
    """Kefraya's permit, held for half of east Aleppo, holds until the ICRC confirms that half."""
    half, _ = staged_link("T3").movement_ends()
    foua = staged_link("T4").movement_ends()[0]
    state = send(wounded_out(start, FK), FK, foua - wounded(FK))
    state = send(wounded_out(state, EA), EA, half - wounded(EA))
    held = dispatch_permit(state, FK, NOON)
    assert not held.open
    state = confirm(state, EA, half - 1)
    assert held.holds(state)
    state = confirm(state, EA, 1)
    assert not held.holds(state)
    assert dispatch_permit(state, FK, NOON).allows(state, ((Group.CIVILIANS, 40),))
    assert decide(state, trip(FK, 40)).allowed
