"""`corridor ops` end to end: an operation under the East Aleppo deal, on a real ledger."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from corridor.adapters.agreement_file import load_agreement_ref
from corridor.bootstrap import open_store
from corridor.domain.agreement import AgreementState, DecisionRecorded, decide, event_from_payload
from corridor.domain.agreement.events import EVENT_TYPES
from corridor.entrypoints.cli.main import app

runner = CliRunner()
NOON = "2016-12-18T12:00+02:00"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh ledger: an SQLite file, or a PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ops.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


def ops(db: str, *args: str, code: int = 0) -> dict[str, Any]:
    result = runner.invoke(app, ["ops", *args, "--db", db, "--json"])
    assert result.exit_code == code, result.output
    data: dict[str, Any] = json.loads(result.stdout) if result.stdout.strip() else {}
    return data


def fails(db: str, *args: str) -> str:
    result = runner.invoke(app, ["ops", *args, "--db", db])
    assert result.exit_code == 2, result.output
    return result.output


BUS = "bus-aleppo-depot-{}"
AMBULANCE = "ambulance-aleppo-depot-{}"


def trip(db: str, name: str, movement: str, vehicle: str, site: str, *load: str) -> None:
    """Plan and board a trip by counts."""
    ops(db, "plan", "aleppo", name, "--movement", movement, "--vehicle", vehicle)
    counted = [arg for group in load for arg in ("--count", group)]
    ops(db, "board", "aleppo", name, "--site", site, *counted)


def depart(db: str, name: str, site: str, code: int = 0) -> dict[str, Any]:
    return ops(db, "depart", "aleppo", name, "--site", site, "--at", NOON, code=code)


def test_an_operation_runs_under_its_agreement_and_keeps_every_decision(db: str) -> None:
    """Blocked and allowed departures, a halt and its resumes are all kept and replay exactly."""
    opened = ops(db, "open", "aleppo", "east-aleppo-2016")
    assert opened["agreed"] is True
    trip(db, "e1", "east-aleppo", BUS.format(1), "east-aleppo", "civilians=40")
    blocked = depart(db, "e1", "east-aleppo", code=1)
    assert blocked["ok"] is False
    assert [t["id"] for t in blocked["decision"]["terms"]] == ["T5"]
    assert [e["type"] for e in blocked["events"]] == ["decision-recorded"]
    trip(db, "f1", "foua-kefraya", BUS.format(2), "kefraya", "wounded-seated=16")
    allowed = depart(db, "f1", "kefraya")
    assert allowed["decision"]["allowed"] is True
    assert [e["type"] for e in allowed["events"]][-1] == "trip-departed"
    ops(
        db, "report", "aleppo", "i1", "--kind", "shooting", "--severity", "4",
        "--corridor", "ramouseh", "--reporter", "un-monitors", "--at", NOON,
    )  # fmt: skip
    verified = ops(db, "verify", "aleppo", "i1", "--monitor", "un-monitors", "--at", NOON)
    assert verified["halted"] == ["f1"]
    trip(db, "f2", "foua-kefraya", BUS.format(3), "kefraya", "wounded-seated=16")
    halted = depart(db, "f2", "kefraya", code=1)
    assert [t["id"] for t in halted["decision"]["terms"]] == ["T6"]
    ops(db, "resume", "aleppo", "T6", "--guarantor", "russia", "--at", NOON)
    resumed = ops(db, "resume", "aleppo", "T6", "--guarantor", "turkey", "--at", NOON)
    assert resumed["may_continue"] == ["f1"]
    depart(db, "f2", "kefraya")
    state = ops(db, "state", "aleppo")
    assert state["deal"]["dispatched"] == {
        "east-aleppo": 0, "foua-kefraya": 32, "madaya-zabadani": 0,
    }  # fmt: skip
    assert state["deal"]["halts"] == []
    assert state["trips"] == {"boarding": 1, "departed": 1, "halted": 1}
    assert state["people"]["in_transit"] == 72
    assert state["balanced"] is True
    listed = ops(db, "decisions", "aleppo")["decisions"]
    assert [d["decision"]["allowed"] for d in listed] == [False, True, False, True, True, True]
    assert listed[0]["request"]["movement"] == "east-aleppo"

    # Replaying the ledger's agreement events reproduces every stored decision.
    loaded = load_agreement_ref("east-aleppo-2016")
    replayed = AgreementState.start(loaded.agreement, loaded.scenario)
    with open_store(db) as store:
        for event in store.read(stream="operation/aleppo"):
            if event.type not in EVENT_TYPES:
                continue
            fact = event_from_payload(event.type, event.data())
            if isinstance(fact, DecisionRecorded):
                assert decide(replayed, fact.request).payload() == fact.decision.payload()
            replayed = replayed.apply(fact)
    assert replayed.people("foua-kefraya") == 32


def test_a_trip_walks_from_boarding_to_closed_on_the_command_line(db: str) -> None:
    """plan, board, depart, count at Ramouseh, arrive and close: custody balances after it."""
    ops(db, "open", "aleppo", "east-aleppo-2016")
    trip(db, "f1", "foua-kefraya", BUS.format(1), "kefraya", "wounded-seated=45")
    depart(db, "f1", "kefraya")
    counted = ops(
        db, "count", "aleppo", "f1", "--site", "ramouseh", "--count", "wounded-seated=45",
        "--at", NOON,
    )  # fmt: skip
    assert [e["type"] for e in counted["events"]] == [
        "headcount-recorded", "decision-recorded", "checkpoint-crossed",
    ]  # fmt: skip
    assert counted["decision"]["allowed"] is True
    ops(db, "arrive", "aleppo", "f1", "--site", "jibreen", "--count", "wounded-seated=45")
    ops(db, "close", "aleppo", "f1")
    rows = ops(db, "trips", "aleppo")
    assert [(t["trip"], t["stage"]) for t in rows] == [("f1", "closed")]
    custody = ops(db, "custody", "aleppo")
    assert custody["balanced"] is True
    tallies = {(t["movement"], t["group"]): t for t in custody["tallies"]}
    assert tallies[("foua-kefraya", "wounded-seated")]["arrived"] == 45


def test_a_retried_command_with_the_same_key_appends_nothing(db: str) -> None:
    """The same idempotency key returns the first answer and leaves the ledger as it was."""
    ops(db, "open", "aleppo", "east-aleppo-2016")
    trip(db, "f1", "foua-kefraya", AMBULANCE.format(1), "kefraya", "wounded-seated=2")
    args = ("depart", "aleppo", "f1", "--site", "kefraya", "--at", NOON, "--idempotency-key", "k1")
    first = ops(db, *args)
    again = ops(db, *args)
    assert again["events"] == first["events"]
    assert len(ops(db, "decisions", "aleppo")["decisions"]) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("verify", "aleppo", "i9", "--monitor", "icrc"), "no incident 'i9'"),
        (("open", "aleppo", "east-aleppo-2016"), "already open"),
        (("board", "aleppo", "t1", "--site", "kefraya", "--count", "people=3"), "GROUP=COUNT"),
        (("board", "aleppo", "t1", "--site", "kefraya", "--count", "civilians=-3"), "0 or more"),
        (("depart", "aleppo", "t1", "--site", "kefraya", "--at", "2016-12-18T12:00"), "UTC offset"),
        (
            (
                "report",
                "aleppo",
                "i1",
                "--kind",
                "shooting",
                "--severity",
                "7",
                "--reporter",
                "icrc",
            ),
            "severity: '7' is not a severity (allowed: 1..5)",
        ),
        (("plan", "aleppo", "t2", "--movement", "nowhere", "--vehicle", "x"), "movement"),
        (("state", "nowhere"), "operation 'nowhere' has not been opened"),
    ],
)
def test_bad_ops_commands_exit_2_with_the_reason_and_append_nothing(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    """Unknown ids, reopened operations and malformed options are refused, exit 2, no event."""
    db = f"sqlite:///{tmp_path / 'ops.db'}"
    ops(db, "open", "aleppo", "east-aleppo-2016")
    ops(db, "plan", "aleppo", "t1", "--movement", "foua-kefraya", "--vehicle", BUS.format(1))
    with open_store(db) as store:
        head = store.head()
    assert message in fails(db, *args)
    with open_store(db) as store:
        assert store.head() == head


def _head(db: str) -> int:
    with open_store(db) as store:
        return store.head().sequence


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (
            ("plan", "aleppo", "t9", "--movement", "east-aleppo", "--vehicle", "bus-2"),
            "vehicle: 'bus-2' is not a vehicle of the fleet (allowed: bus-aleppo-depot-1,",
        ),
        (
            ("board", "aleppo", "t1", "--site", "kefraya", "--count", "wounded-seated=500"),
            "'500' people sitting do not fit vehicle bus-aleppo-depot-1 (bus: 50 seats"
            " + 70 standing) (allowed: 0..120)",
        ),
        (
            ("plan", "aleppo", "t9", "--movement", "narnia", "--vehicle", "bus-aleppo-depot-2"),
            "movement: 'narnia' is not a movement (allowed: east-aleppo, foua-kefraya,",
        ),
        (
            ("plan", "aleppo", "t9", "--movement", "foua-kefraya", "--vehicle", BUS.format(1)),
            "vehicle: 'bus-aleppo-depot-1' is on live trip t1",
        ),
    ],
)
def test_a_trip_off_the_fleet_or_over_the_seats_is_an_error_not_a_decision(
    db: str, args: tuple[str, ...], words: str
) -> None:
    """500 seated on a 50-seat bus, a bus not in the fleet, a bus already out: exit 2, no append."""
    ops(db, "open", "aleppo", "east-aleppo-2016")
    ops(db, "plan", "aleppo", "t1", "--movement", "foua-kefraya", "--vehicle", BUS.format(1))
    before = _head(db)
    output = fails(db, *args)
    assert output.startswith("error: "), output
    assert words in output, output
    assert _head(db) == before
    assert ops(db, "decisions", "aleppo")["decisions"] == []


@pytest.mark.parametrize(
    ("option", "value", "field"),
    [("--kind", "shootng", "kind"), ("--corridor", "ramousseh", "corridor")],
)
def test_an_incident_of_an_undeclared_kind_or_corridor_is_refused(
    db: str, option: str, value: str, field: str
) -> None:
    """A misspelt kind or corridor is an `error:` naming field and value; nothing is recorded."""
    ops(db, "open", "aleppo", "east-aleppo-2016")
    before = _head(db)
    given = {"--kind": "shooting", "--corridor": "ramouseh", option: value}
    args = [item for pair in given.items() for item in pair]
    output = fails(db, "report", "aleppo", "i1", *args, "--severity", "4", "--reporter", "icrc")
    assert output.startswith(f"error: {field}: {value!r} is not"), output
    assert _head(db) == before


@pytest.mark.parametrize("at", ["0001-01-01T00:00+14:00", "9999-12-31T23:59-14:00"])
@pytest.mark.parametrize(
    "command",
    [
        ("report", "op", "inc-edge", "--kind", "shooting", "--severity", "3", "--reporter", "m"),
        ("depart", "op", "t1", "--site", "east-aleppo"),
    ],
    ids=["report", "depart"],
)
def test_a_time_at_the_calendar_edge_is_one_error_line_and_appends_nothing(
    tmp_path: Path, at: str, command: tuple[str, ...]
) -> None:
    """`--at` at the datetime edge: exit 2, one `error: --at:` line, the ledger unchanged."""
    url = f"sqlite:///{tmp_path / 'ops.db'}"
    opened = runner.invoke(app, ["ops", "open", "op", "east-aleppo-2016", "--db", url])
    assert opened.exit_code == 0, opened.output
    with open_store(url) as store:
        before = store.head().sequence
    result = runner.invoke(app, ["ops", *command, "--at", at, "--db", url])
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: --at: ")
    with open_store(url) as store:
        assert store.head().sequence == before


def test_an_exercise_operation_decides_on_its_own_clock_on_the_command_line(db: str) -> None:
    """Opened as an exercise from 15 Dec 2016, a depart without --at is decided then."""
    ops(db, "open", "aleppo", "east-aleppo-2016", "--exercise-from", "2016-12-15T05:00+02:00")
    clock = ops(db, "clock", "aleppo")
    assert (clock["mode"], clock["speed"]) == ("exercise", 1.0)
    assert clock["now"].startswith("2016-12-15T03:00")
    trip(db, "f1", "foua-kefraya", BUS.format(1), "kefraya", "wounded-seated=3")
    departed = ops(db, "depart", "aleppo", "f1", "--site", "kefraya")
    assert departed["decisions"][0]["request"]["at"].startswith("2016-12-15")
    ops(db, "clock", "aleppo", "--live")
    assert ops(db, "clock", "aleppo")["mode"] == "live"
