"""`ledger backup` and the ledger's files at rest: consistent, verified, private copies."""

from __future__ import annotations

import json
import shutil
import sqlite3
import stat
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from corridor.bootstrap import open_store
from corridor.entrypoints.cli.main import app
from tests.support.ledger_contract import clock, fill

runner = CliRunner()


def run(*args: str, code: int = 0) -> Any:
    """Invoke the CLI, check the exit code, return the result."""
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, result.output
    return result


def test_a_backup_taken_while_the_ledger_is_open_holds_what_is_still_in_the_wal(
    tmp_path: Path,
) -> None:
    """The copy, moved alone to another folder, verifies with every event, WAL content too."""
    url = f"sqlite:///{tmp_path / 'live.db'}"
    store = open_store(url, clock())
    try:
        fill(store, 6)
        assert Path(f"{tmp_path / 'live.db'}-wal").stat().st_size > 0
        out = tmp_path / "copy.db"
        result = run("ledger", "backup", "--db", url, "--out", str(out))
        assert "backup of 6 events" in result.stdout
        assert "verified" in result.stdout
    finally:
        store.close()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(out, elsewhere / "copy.db")
    report = json.loads(
        run("ledger", "verify", "--db", f"sqlite:///{elsewhere / 'copy.db'}", "--json").stdout
    )
    assert report["events"] == 6
    assert report["ok"] is True


def test_a_backup_is_one_private_file_and_never_overwrites(tmp_path: Path) -> None:
    """The copy is 0600 in rollback-journal mode (no WAL); an existing --out is refused."""
    url = f"sqlite:///{tmp_path / 'live.db'}"
    with open_store(url, clock()) as store:
        fill(store, 3)
    out = tmp_path / "copy.db"
    run("ledger", "backup", "--db", url, "--out", str(out))
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    with sqlite3.connect(out) as copy:
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    before = out.read_bytes()
    result = run("ledger", "backup", "--db", url, "--out", str(out), code=2)
    assert "never overwrites" in result.stderr
    assert out.read_bytes() == before


def test_a_postgresql_backup_is_an_export_that_imports_to_the_same_head(
    tmp_path: Path, postgres_url: str
) -> None:
    """On PostgreSQL the backup is a verified export; importing it gives the same head."""
    with open_store(postgres_url, clock()) as store:
        fill(store, 5)
        head = store.head()
    out = tmp_path / "ledger.jsonl"
    run("ledger", "backup", "--db", postgres_url, "--out", str(out))
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    restored = f"sqlite:///{tmp_path / 'restored.db'}"
    run("ledger", "import", str(out), "--db", restored)
    with open_store(restored) as store:
        assert store.head() == head


def test_a_new_ledger_and_its_wal_are_readable_by_their_owner_only(tmp_path: Path) -> None:
    """init then a write: the database, WAL and shared-memory files are 0600."""
    db = tmp_path / "corridor.db"
    run("init", "--db", f"sqlite:///{db}", "--key-file", str(tmp_path / "corridor.key"))
    with open_store(f"sqlite:///{db}", clock()) as store:
        fill(store, 1)
        for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_an_existing_world_readable_ledger_is_made_private_when_opened(tmp_path: Path) -> None:
    """A ledger left 0644 by an older version is 0600 once a store opens it."""
    db = tmp_path / "old.db"
    with open_store(f"sqlite:///{db}", clock()) as store:
        fill(store, 1)
    db.chmod(0o644)
    run("ledger", "verify", "--db", f"sqlite:///{db}")
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
