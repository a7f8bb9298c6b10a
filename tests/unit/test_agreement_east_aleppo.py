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
    consequences,
    decide,
)
from corridor.domain.scenario import Group

DAMASCUS = timezone(timedelta(hours=2))
NOON = datetime(2016, 12, 18, 12, tzinfo=DAMASCUS)
EA, FK = "east-aleppo", "foua-kefraya"


@pytest.fixture(scope="module")
def start() -> AgreementState:
    loaded = load_agreement_ref("east-aleppo-2016")
    return AgreementState.start(loaded.agreement, loaded.scenario)


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
    """Foua's wounded may leave at once; the allowing terms are T2, T6, T7, T4 and T5."""
    decision = decide(start, trip(FK, 16, Group.WOUNDED_STRETCHER))
    assert decision.allowed
    assert [t for t, _ in decision.terms] == ["T2", "T6", "T7", "T4", "T5"]
    assert "stage 1 of foua-kefraya is released without condition" in decision.explanation


def test_the_deal_runs_stage_by_stage_through_a_halt_and_a_resume(start: AgreementState) -> None:
    """Each second stage opens only when the other side's first is confirmed; a halt stops both."""
    state = wounded_out(start, FK)
    state = send(state, FK, 656 - 112)
    state = wounded_out(state, EA)
    state = send(state, EA, 17_500 - 811)
    # Kefraya (stage 2 of foua-kefraya) waits for half of east Aleppo, and the
    # rest of east Aleppo (its stage 2) for Foua.
    assert blockers(decide(state, trip(FK, 1))) == ["T4"]
    decision = decide(state, trip(EA, 40))
    assert blockers(decision) == ["T3"]
    assert "stage 2 of east-aleppo needs stage 2 of foua-kefraya confirmed by icrc; 0 of 656" in (
        decision.explanation
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

    state = confirm(state, FK, 640)
    decision = decide(state, trip(EA, 40))
    assert decision.explanation == (
        "Blocked by T3 (staged link east-aleppo <- foua-kefraya): stage 2 of east-aleppo needs "
        "stage 2 of foua-kefraya confirmed by icrc; 640 of 656 confirmed."
    )
    state = confirm(state, FK, 16)
    state = send(state, EA, 17_500)
    assert blockers(decide(state, trip(FK, 1))) == ["T4"]
    state = confirm(state, EA, 17_500)
    state = send(state, FK, 656)
    assert state.people(EA) == 35_000
    assert state.people(FK) == 1_312
    last = decide(state, trip(EA, 1))
    assert blockers(last) == ["T3"]
    assert "its stages cover 35,000 of east-aleppo, and 35,000 have gone" in last.explanation


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
