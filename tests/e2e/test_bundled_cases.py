"""The bundled cases (East Aleppo 2016, Four Towns 2017) validate, explain, plan, simulate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corridor.adapters.agreement_file import agreement_of
from corridor.adapters.scenario_file import load_scenario_document, resolve_scenario
from corridor.domain.scenario import Group
from corridor.entrypoints.cli.main import app

RUNNER = CliRunner()
CASES = ("east-aleppo-2016", "four-towns-2017")
# A scripted timeline by calendar time for each case: a halt given as an
# instant with its offset, a turn-back at the exchange, a scripted incident.
TIMELINES = {
    "east-aleppo-2016": (
        "timeline:\n"
        "  - {action: halt, kind: dispatch, at: '2016-12-15T08:00+02:00',"
        " to: '2016-12-15T20:00+02:00'}\n"
        "  - {action: turn-back, site: ramouseh, from: '2016-12-16T06:00', to: +30h}\n"
        "  - {action: incident, corridor: foua-kefraya, at: '2016-12-17T10:00+02:00',"
        " kind: attack-on-vehicles, severity: 3, verification_minutes: 30,"
        " suspension_minutes: 600}\n"
    ),
    "four-towns-2017": (
        "timeline:\n"
        "  - {action: halt, kind: dispatch, at: '2017-04-14T08:00+03:00',"
        " to: '2017-04-14T20:00+03:00'}\n"
        "  - {action: turn-back, site: rashidin, from: '2017-04-15T06:00', to: +30h}\n"
        "  - {action: incident, corridor: foua-route, at: '2017-04-15T10:00+03:00',"
        " kind: explosive-hazard, severity: 4, verification_minutes: 30,"
        " suspension_minutes: 600}\n"
    ),
}


def _ok(*args: str) -> str:
    result = RUNNER.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("case", CASES)
def test_each_case_validates_and_its_agreement_checks_clean(case: str) -> None:
    """`scenario validate` and `agreement check` pass for both bundled cases."""
    assert "OK" in _ok("scenario", "validate", case)
    assert "0 warnings" in _ok("agreement", "check", case)


@pytest.mark.parametrize("case", CASES)
def test_each_case_explains_every_term(case: str) -> None:
    """`agreement explain --json` gives one sentence for every term of the deal."""
    path = resolve_scenario(case)
    deal = agreement_of(load_scenario_document(path), path).agreement
    rows = json.loads(_ok("agreement", "explain", case, "--json"))
    listed = rows["terms"] if isinstance(rows, dict) else rows
    ids = {row["id"] for row in listed}
    assert {t.id for t in deal.terms} <= ids


@pytest.mark.parametrize("case", CASES)
def test_each_case_plans_every_person_in_calendar_time(case: str, tmp_path: Path) -> None:
    """`plan --json` moves everyone and names each movement's completion with an offset."""
    out = _ok("plan", case, "--out", str(tmp_path / "plan"), "--time-limit", "1", "--json")
    summary = json.loads(out)
    scenario = load_scenario_document(resolve_scenario(case)).scenario
    assert summary["people_moved"] == scenario.people()
    assert set(summary["movements"]) == {m.id for m in scenario.movements}
    offset = "+02:00" if case.startswith("east") else "+03:00"
    assert summary["clearance_at"].endswith(offset)


@pytest.mark.parametrize("case", CASES)
def test_each_case_simulates_the_same_bytes_for_a_seed(case: str) -> None:
    """Two `simulate --json` runs with one seed print the same bytes; another seed differs."""
    args = ("simulate", case, "--runs", "3", "--seed", "5", "--workers", "1", "--json")
    first, again = _ok(*args), _ok(*args)
    assert first == again
    other = _ok("simulate", case, "--runs", "3", "--seed", "6", "--workers", "1", "--json")
    assert other != first
    summary = json.loads(first)
    assert summary["cleared_share"] == 1.0
    assert summary["disruption"] == "none"


@pytest.mark.parametrize("case", CASES)
def test_a_scripted_calendar_timeline_runs_against_each_case(case: str, tmp_path: Path) -> None:
    """A halt at an instant, a turn-back and a scripted incident all act, the same every run."""
    timeline = tmp_path / "timeline.yaml"
    timeline.write_text(TIMELINES[case])
    args = ("simulate", case, "--runs", "2", "--workers", "1", "--json")
    quiet = json.loads(_ok(*args))
    played = json.loads(_ok(*args, "--disruption", str(timeline)))
    assert played["disruption"] == str(timeline)
    assert played["incidents"]["p10"] >= 1
    assert played["halts"]["p10"] >= 2
    assert played["clearance_hours"]["p50"] > quiet["clearance_hours"]["p50"]
    again = json.loads(_ok(*args, "--disruption", str(timeline)))
    assert again == played


def test_the_four_towns_case_holds_the_reported_first_phase() -> None:
    """8,000 from Foua and Kefraya (2,000 fighters) for 3,400 from Madaya and Zabadani."""
    path = resolve_scenario("four-towns-2017")
    document = load_scenario_document(path)
    s = document.scenario
    assert s.people("foua") + s.people("kefraya") == 8_000
    assert s.people("madaya") + s.people("zabadani") == 3_400
    fighters = sum(s.people(m, Group.FIGHTERS) for m in ("foua", "kefraya"))
    assert fighters == 2_000
    assert s.start == "2017-04-14T05:00"
    deal = agreement_of(document, path).agreement
    assert deal.guarantors == ("qatar", "iran")
    assert deal.members("foua-kefraya") == ("foua", "kefraya")
    assert deal.members("madaya-zabadani") == ("madaya", "zabadani")


def test_the_four_towns_exchange_waits_on_the_other_sides_first_convoy() -> None:
    """The second Foua/Kefraya convoy waits until 2,200 of Madaya/Zabadani are confirmed."""
    from datetime import datetime

    from corridor.domain.agreement import AgreementState, DispatchTrip, StageConfirmed, decide
    from corridor.domain.agreement.events import TripDispatched

    path = resolve_scenario("four-towns-2017")
    document = load_scenario_document(path)
    deal = agreement_of(document, path).agreement
    state = AgreementState.start(deal, document.scenario)
    when = datetime.fromisoformat("2017-04-14T09:00+03:00")
    load = ((Group.CIVILIANS, 50),)
    # The first convoy: 3,000 from Foua and 2,000 from Kefraya.
    for n in range(60):
        state = state.apply(TripDispatched("foua", f"bus-f{n}", load, when))
    for n in range(40):
        state = state.apply(TripDispatched("kefraya", f"bus-k{n}", load, when))
    assert state.people("foua-kefraya") == 5_000
    # Seated wounded only, so that the priority term (T6) lets the trip go.
    wounded = ((Group.WOUNDED_SEATED, 10),)
    blocked = decide(state, DispatchTrip("kefraya", "ambulance-1", when, wounded))
    assert not blocked.allowed
    assert [t for t, _ in blocked.terms] == ["T2"]
    state = state.apply(TripDispatched("madaya", "bus-m", ((Group.CIVILIANS, 2_200),), when))
    state = state.apply(StageConfirmed("madaya", "sarc", 2_200, when))
    assert decide(state, DispatchTrip("kefraya", "ambulance-1", when, wounded)).allowed


# One halt of each kind per case, by calendar time. Each names the movement it
# holds; an exchange names the partner whose convoy it waits for and where.
HALTS = {
    "east-aleppo-2016": {
        "stop": "movement: east-aleppo, at: '2016-12-15T16:00+02:00', to: '2016-12-16T04:00+02:00'",
        "dispatch": (
            "movement: east-aleppo, at: '2016-12-15T16:00+02:00', to: '2016-12-16T04:00+02:00'"
        ),
        "exchange": (
            "movement: east-aleppo, partner: foua-kefraya, site: rashidin,"
            " at: '2016-12-15T10:00+02:00', to: '2016-12-16T10:00+02:00'"
        ),
    },
    "four-towns-2017": {
        "stop": "movement: foua, at: '2017-04-14T10:00+03:00', to: '2017-04-14T22:00+03:00'",
        "dispatch": "movement: foua, at: '2017-04-14T10:00+03:00', to: '2017-04-14T22:00+03:00'",
        "exchange": (
            "movement: foua, partner: madaya, site: rashidin,"
            " at: '2017-04-14T06:00+03:00', to: '2017-04-15T18:00+03:00'"
        ),
    },
}


def _with_halt(case: str, kind: str, tmp_path: Path) -> dict[str, object]:
    timeline = tmp_path / f"{case}-{kind}.yaml"
    timeline.write_text(f"timeline:\n  - {{action: halt, kind: {kind}, {HALTS[case][kind]}}}\n")
    args = ("simulate", case, "--runs", "2", "--workers", "1", "--seed", "0", "--json")
    played: dict[str, object] = json.loads(_ok(*args, "--disruption", str(timeline)))
    assert json.loads(_ok(*args, "--disruption", str(timeline))) == played
    return played


def _p50(summary: dict[str, object], key: str) -> float:
    value = summary[key]
    return float(value["p50"] if isinstance(value, dict) else value)  # type: ignore[arg-type]


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("kind", ["stop", "dispatch", "exchange"])
def test_a_halt_of_each_kind_runs_against_each_case_the_same_every_time(
    case: str, kind: str, tmp_path: Path
) -> None:
    """A stop, a dispatch halt and an exchange hold each act once, and replay byte for byte."""
    played = _with_halt(case, kind, tmp_path)
    assert _p50(played, "halts") == 1
    assert played["cleared_share"] == 1.0


def test_a_stop_holds_loaded_vehicles_where_a_dispatch_halt_holds_people_at_the_pickup(
    tmp_path: Path,
) -> None:
    """East Aleppo: the same 12 h as a stop keeps more people in vehicles than as a dispatch halt,
    and the dispatch halt keeps more people waiting to board than no halt at all."""
    quiet = json.loads(
        _ok("simulate", "east-aleppo-2016", "--runs", "2", "--workers", "1", "--seed", "0",
            "--json", "--disruption", "none")
    )  # fmt: skip
    stop = _with_halt("east-aleppo-2016", "stop", tmp_path)
    dispatch = _with_halt("east-aleppo-2016", "dispatch", tmp_path)
    in_vehicles = "waiting_vehicle_person_hours"
    assert _p50(stop, in_vehicles) > _p50(dispatch, in_vehicles)
    at_pickup = "waiting_assembly_person_hours"
    assert _p50(dispatch, at_pickup) > _p50(quiet, at_pickup)


def test_an_exchange_hold_keeps_the_four_towns_convoys_waiting_for_their_partner(
    tmp_path: Path,
) -> None:
    """Four Towns: Foua's loaded buses wait at al-Rashidin for Madaya's, so people sit longer."""
    quiet = json.loads(
        _ok("simulate", "four-towns-2017", "--runs", "2", "--workers", "1", "--seed", "0",
            "--json", "--disruption", "none")
    )  # fmt: skip
    held = _with_halt("four-towns-2017", "exchange", tmp_path)
    key = "waiting_vehicle_person_hours"
    assert _p50(held, key) > 2 * _p50(quiet, key)
