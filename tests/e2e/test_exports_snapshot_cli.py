"""`corridor export snapshot`: the fold kept at each day's end, used by later exports."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corridor.bootstrap import open_store
from corridor.domain.events import RecordedEvent
from corridor.domain.operation import operation_stream
from corridor.entrypoints.cli.main import app
from corridor.services.exports import snapshots
from corridor.services.exports.reading import read_operation
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
