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


def test_an_operation_runs_under_its_agreement_and_keeps_every_decision(db: str) -> None:
    """Blocked and allowed decisions, a halt and its resumes are all kept and replay exactly."""
    opened = ops(db, "open", "aleppo", "east-aleppo-2016")
    assert opened["agreement"] == "aleppo-18-dec-2016"
    blocked = ops(
        db,
        "dispatch",
        "aleppo",
        "east-aleppo",
        "--vehicle",
        "bus-aleppo-depot-1",
        "--load",
        "civilians=40",
        "--at",
        NOON,
        code=1,
    )
    assert [t["id"] for t in blocked["terms"]] == ["T5"]
    allowed = ops(
        db,
        "dispatch",
        "aleppo",
        "foua-kefraya",
        "--vehicle",
        "ambulance-aleppo-depot-1",
        "--load",
        "wounded-stretcher=1",
        "--at",
        NOON,
    )
    assert allowed["allowed"] is True
    ops(
        db,
        "report",
        "aleppo",
        "i1",
        "--kind",
        "shooting",
        "--severity",
        "4",
        "--corridor",
        "ramouseh",
        "--reporter",
        "un-monitors",
        "--at",
        NOON,
    )
    ops(db, "verify", "aleppo", "i1", "--monitor", "un-monitors", "--at", NOON)
    halted = ops(
        db,
        "dispatch",
        "aleppo",
        "foua-kefraya",
        "--vehicle",
        "ambulance-aleppo-depot-2",
        "--load",
        "wounded-stretcher=1",
        "--at",
        NOON,
        code=1,
    )
    assert [t["id"] for t in halted["terms"]] == ["T6"]
    ops(db, "resume", "aleppo", "T6", "--guarantor", "russia", "--at", NOON)
    ops(db, "resume", "aleppo", "T6", "--guarantor", "turkey", "--at", NOON)
    ops(
        db,
        "dispatch",
        "aleppo",
        "foua-kefraya",
        "--vehicle",
        "ambulance-aleppo-depot-2",
        "--load",
        "wounded-stretcher=1",
        "--at",
        NOON,
    )
    state = ops(db, "state", "aleppo")
    assert state["dispatched"] == {"east-aleppo": 0, "foua-kefraya": 2, "madaya-zabadani": 0}
    assert state["halts"] == []
    listed = ops(db, "decisions", "aleppo")["decisions"]
    assert [d["allowed"] for d in listed] == [False, True, False, True, True, True]
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
    assert replayed.people("foua-kefraya") == 2


def test_a_retried_request_with_the_same_key_appends_nothing(db: str) -> None:
    """The same idempotency key returns the first decision and leaves the ledger as it was."""
    ops(db, "open", "aleppo", "east-aleppo-2016")
    args = (
        "dispatch",
        "aleppo",
        "foua-kefraya",
        "--vehicle",
        "ambulance-aleppo-depot-1",
        "--load",
        "wounded-seated=2",
        "--at",
        NOON,
        "--idempotency-key",
        "k1",
    )
    first = ops(db, *args)
    again = ops(db, *args)
    assert again == first
    assert len(ops(db, "decisions", "aleppo")["decisions"]) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("verify", "aleppo", "i9", "--monitor", "icrc"), "incident 'i9' has not been reported"),
        (("open", "aleppo", "east-aleppo-2016"), "already open"),
        (
            ("dispatch", "aleppo", "east-aleppo", "--vehicle", "b", "--load", "people=3"),
            "expected GROUP=COUNT",
        ),
        (
            (
                "dispatch",
                "aleppo",
                "east-aleppo",
                "--vehicle",
                "b",
                "--load",
                "civilians=3",
                "--at",
                "2016-12-18T12:00",
            ),
            "has no UTC offset",
        ),
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
        (("state", "nowhere"), "operation 'nowhere' has no agreement"),
    ],
)
def test_bad_ops_commands_exit_2_with_the_reason(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    """Unknown incidents, reopened operations and malformed options are refused, exit 2."""
    db = f"sqlite:///{tmp_path / 'ops.db'}"
    ops(db, "open", "aleppo", "east-aleppo-2016")
    assert message in fails(db, *args)


def _head(db: str) -> int:
    with open_store(db) as store:
        return store.head().sequence


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (
            ("dispatch", "aleppo", "east-aleppo", "--vehicle", "bus-2"),
            "vehicle: 'bus-2' is not a vehicle of the fleet (allowed: bus-aleppo-depot-1,",
        ),
        (
            ("dispatch", "aleppo", "east-aleppo", "--vehicle", "bus-aleppo-depot-2"),
            "load: '500' people sitting do not fit vehicle bus-aleppo-depot-2 (bus: 50 seats)"
            " (allowed: 0..50)",
        ),
        (
            ("dispatch", "aleppo", "narnia", "--vehicle", "bus-aleppo-depot-2"),
            "movement: 'narnia' is not a movement (allowed: east-aleppo, foua-kefraya,",
        ),
    ],
)
def test_a_dispatch_off_the_fleet_or_over_the_seats_is_an_error_not_a_decision(
    db: str, args: tuple[str, ...], words: str
) -> None:
    """500 seated on a 50-seat bus, or a bus not in the fleet: `error:`, exit 2, no append."""
    ops(db, "open", "aleppo", "east-aleppo-2016")
    before = _head(db)
    output = fails(db, *args, "--load", "wounded-seated=500", "--at", NOON)
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
