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
        "bus-1",
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
        "amb-1",
        "--load",
        "wounded-stretcher=16",
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
        "amb-2",
        "--load",
        "wounded-stretcher=16",
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
        "amb-2",
        "--load",
        "wounded-stretcher=16",
        "--at",
        NOON,
    )
    state = ops(db, "state", "aleppo")
    assert state["dispatched"] == {"east-aleppo": 0, "foua-kefraya": 32, "madaya-zabadani": 0}
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
    assert replayed.people("foua-kefraya") == 32


def test_a_retried_request_with_the_same_key_appends_nothing(db: str) -> None:
    """The same idempotency key returns the first decision and leaves the ledger as it was."""
    ops(db, "open", "aleppo", "east-aleppo-2016")
    args = (
        "dispatch",
        "aleppo",
        "foua-kefraya",
        "--vehicle",
        "amb-1",
        "--load",
        "wounded-seated=4",
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
            "severity must be 1 to 5",
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


@pytest.mark.parametrize("at", ["0001-01-01T00:00+14:00", "9999-12-31T23:59-14:00"])
@pytest.mark.parametrize(
    "command",
    [
        ("report", "op", "inc-edge", "--kind", "shooting", "--severity", "3", "--reporter", "m"),
        ("dispatch", "op", "east-aleppo", "--vehicle", "bus-1", "--load", "civilians=10"),
    ],
    ids=["report", "dispatch"],
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
