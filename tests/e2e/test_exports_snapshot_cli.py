"""`corridor export snapshot`: the fold kept at each day's end, used by later exports."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zlib
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import orjson
import pytest
from typer.testing import CliRunner

from corridor.bootstrap import open_store
from corridor.domain.events import RecordedEvent
from corridor.domain.operation import operation_stream
from corridor.entrypoints.cli.main import app
from corridor.services.exports import snapshots
from corridor.services.exports.reading import read_operation
from corridor.services.ports import LedgerStore
from tests.support.export_world import OPERATION, seed, world

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> str:
    return seed(tmp_path / "ledger.db")


def test_snapshot_keeps_the_fold_at_the_end_of_every_day(db: str) -> None:
    """One entry per day with events (15, 16, 20 Dec), at its last event; reads resume there."""
    result = runner.invoke(app, ["export", "snapshot", "--db", db, "--operation", OPERATION,
                                 "--json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    said = json.loads(result.stdout)
    assert [d["day"] for d in said["days"]] == ["2016-12-15", "2016-12-16", "2016-12-20"]
    base = world()
    with open_store(db) as store:
        stream = list(store.read(stream=operation_stream(OPERATION)))
        assert said["ledger_sequence"] == stream[-1].sequence
        for entry in said["days"]:
            cut = date.fromisoformat(entry["day"])
            folded = read_operation(store, OPERATION, scenario_of=base.scenario_of,
                                    resolve=base.resolve, day=cut, snapshots=False)  # fmt: skip
            assert entry["ledger_sequence"] == folded.provenance.sequence
        afters: list[int] = []
        plain = store.read

        def spying(after: int = 0, stream: str | None = None) -> Iterator[RecordedEvent]:
            afters.append(after)
            return plain(after=after, stream=stream)

        store.read = spying  # type: ignore[method-assign]
        read_operation(store, OPERATION, scenario_of=base.scenario_of, resolve=base.resolve,
                       day=date(2016, 12, 16))  # fmt: skip
        sixteenth = next(d for d in said["days"] if d["day"] == "2016-12-16")
        assert afters == [0, sixteenth["ledger_sequence"]]
        found = store.fold_snapshot(OPERATION, snapshots.FORM, snapshots.CODE, None)
        assert found is not None
        assert found.sequence == said["ledger_sequence"]


def test_snapshot_of_an_unknown_operation_is_one_error_line_and_exit_2(db: str) -> None:
    """Nothing is kept for an operation the ledger never opened."""
    result = runner.invoke(app, ["export", "snapshot", "--db", db, "--operation", "nowhere"])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: ")
    assert "nowhere" in result.stderr
    with open_store(db) as store:
        assert store.fold_snapshot("nowhere", snapshots.FORM, snapshots.CODE, None) is None


def test_snapshot_on_a_missing_ledger_creates_nothing(tmp_path: Path) -> None:
    """A wrong path is refused with exit 2 and leaves no file behind."""
    db = tmp_path / "missing.db"
    result = runner.invoke(app, ["export", "snapshot", "--db", f"sqlite:///{db}",
                                 "--operation", OPERATION])  # fmt: skip
    assert result.exit_code == 2, result.output
    assert "no ledger at" in result.stderr
    assert list(tmp_path.iterdir()) == []


def _days(store: LedgerStore, cut: date, use: bool) -> dict[Any, Any]:
    base = world()
    read = read_operation(store, OPERATION, scenario_of=base.scenario_of, resolve=base.resolve,
                          day=cut, snapshots=use)  # fmt: skip
    return {key: vars(figures) for key, figures in read.series.days.items()}


def _forge(db: str, sequence: int) -> None:
    """Write a snapshot body that passes every check a read makes, with a figure changed."""
    with sqlite3.connect(db.removeprefix("sqlite:///")) as raw:
        (stored,) = raw.execute(
            "SELECT body FROM fold_snapshots WHERE sequence = ?", (sequence,)
        ).fetchone()
        form = orjson.loads(zlib.decompress(stored))
        form["series"]["days"][0][2][1] += 5000  # 15 Dec, the first movement: 5,000 more
        body = orjson.dumps(form)
        raw.execute(
            "UPDATE fold_snapshots SET body = ?, digest = ? WHERE sequence = ?",
            (zlib.compress(body), hashlib.sha256(body).hexdigest(), sequence),
        )


def test_verify_holds_every_snapshot_to_a_fold_from_the_first_event(db: str) -> None:
    """After `snapshot`, `--verify` finds each day's snapshot sound and exits 0."""
    kept = runner.invoke(
        app, ["export", "snapshot", "--db", db, "--operation", OPERATION, "--json"]
    )
    assert kept.exit_code == 0, kept.output
    days = [(d["day"], d["ledger_sequence"]) for d in json.loads(kept.stdout)["days"]]
    result = runner.invoke(app, ["export", "snapshot", "--db", db, "--operation", OPERATION,
                                 "--verify", "--json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    said = json.loads(result.stdout)
    assert said["ok"] is True
    assert [(d["day"], d["ledger_sequence"]) for d in said["sound"]] == days
    assert said["differed"] == []
    assert said["added"] == []


def test_verify_finds_a_forged_snapshot_names_its_day_and_puts_the_fold_back(db: str) -> None:
    """A body changed with its digest passes a read's checks; `--verify` exits 1 and mends it."""
    kept = runner.invoke(
        app, ["export", "snapshot", "--db", db, "--operation", OPERATION, "--json"]
    )
    sixteenth = next(d for d in json.loads(kept.stdout)["days"] if d["day"] == "2016-12-16")
    _forge(db, sixteenth["ledger_sequence"])
    with open_store(db) as store:
        assert _days(store, date(2016, 12, 16), True) != _days(store, date(2016, 12, 16), False)
    result = runner.invoke(app, ["export", "snapshot", "--db", db, "--operation", OPERATION,
                                 "--verify"])  # fmt: skip
    assert result.exit_code == 1, result.output
    assert "error: the snapshot of 2016-12-16" in result.stderr
    assert f"#{sixteenth['ledger_sequence']}" in result.stderr
    with open_store(db) as store:
        assert _days(store, date(2016, 12, 16), True) == _days(store, date(2016, 12, 16), False)
    again = runner.invoke(app, ["export", "snapshot", "--db", db, "--operation", OPERATION,
                                "--verify"])  # fmt: skip
    assert again.exit_code == 0, again.output


def test_verify_on_a_ledger_without_snapshots_keeps_each_day_s_end(db: str) -> None:
    """Nothing kept yet: every day with events gets its snapshot, and nothing differed."""
    result = runner.invoke(app, ["export", "snapshot", "--db", db, "--operation", OPERATION,
                                 "--verify", "--json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    said = json.loads(result.stdout)
    assert [d["day"] for d in said["added"]] == ["2016-12-15", "2016-12-16", "2016-12-20"]
    assert said["sound"] == []
    assert said["differed"] == []
