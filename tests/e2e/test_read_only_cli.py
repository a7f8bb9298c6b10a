"""Read-only commands pointed at a ledger that does not exist create nothing and say so."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from corridor.entrypoints.cli.main import app

runner = CliRunner()

READ_ONLY = [
    ("ops", "state", "east-aleppo-2016"),
    ("ops", "decisions", "east-aleppo-2016"),
    ("users", "list"),
    ("ledger", "verify"),
    ("ledger", "show"),
    ("ledger", "export"),
]


def _error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.strip()]


@pytest.mark.parametrize("command", READ_ONLY, ids=" ".join)
def test_a_read_only_command_on_a_missing_sqlite_file_creates_nothing(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    """Exit 2, one `error:` line naming the file and `corridor init`, and no file left behind."""
    db = tmp_path / "missing.db"
    result = runner.invoke(app, [*command, "--db", f"sqlite:///{db}"])
    assert result.exit_code == 2, result.output
    lines = _error_lines(result.stderr)
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: no ledger at ")
    assert str(db) in lines[0]
    assert "corridor init" in lines[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", READ_ONLY, ids=" ".join)
def test_a_read_only_command_on_a_file_that_is_no_ledger_leaves_it_unchanged(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    """An empty file is not migrated into a ledger: exit 2, one line, the file still empty."""
    db = tmp_path / "empty.db"
    db.touch()
    result = runner.invoke(app, [*command, "--db", f"sqlite:///{db}"])
    assert result.exit_code == 2, result.output
    assert len(_error_lines(result.stderr)) == 1, result.stderr
    assert db.stat().st_size == 0


@pytest.mark.parametrize("command", READ_ONLY, ids=" ".join)
def test_a_read_only_command_on_a_missing_postgres_database_is_one_clear_line(
    postgres_url: str, command: tuple[str, ...]
) -> None:
    """A database that does not exist on the server: exit 2, one `error:` line, no traceback."""
    missing = sa.make_url(postgres_url).set(database="corridor_no_such_database")
    url = missing.render_as_string(hide_password=False)
    result = runner.invoke(app, [*command, "--db", url])
    assert result.exit_code == 2, result.output
    lines = _error_lines(result.stderr)
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: no ledger at ")
    assert "corridor init" in lines[0]


def test_a_read_only_command_on_an_empty_postgres_database_creates_no_tables(
    postgres_url: str,
) -> None:
    """`ledger verify` on a database without a ledger refuses and does not migrate it."""
    result = runner.invoke(app, ["ledger", "verify", "--db", postgres_url])
    assert result.exit_code == 2, result.output
    assert "no ledger at" in result.stderr
    engine = sa.create_engine(postgres_url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as connection:
            assert sa.inspect(connection).get_table_names() == []
    finally:
        engine.dispose()
