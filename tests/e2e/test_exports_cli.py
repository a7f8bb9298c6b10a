"""`corridor export hxl|geojson` through the CLI runner: files, roles, bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from corridor.bootstrap import open_store
from corridor.entrypoints.cli.main import app
from corridor.services.exports.tables import TABLES
from tests.support.export_world import OPERATION, PERSON, SEEDED_NAMES, seed

runner = CliRunner()
TRIPS = ("t1", "t2", "t3", "t4")


def run(*args: str, code: int = 0) -> Any:
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, result.output
    return result


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    return seed(tmp_path_factory.mktemp("cli") / "ledger.db")


def every_export(db: str, folder: Path, role: str) -> str:
    """All tables and the map as `role` exports them, as one text."""
    texts = []
    for table in TABLES:
        out = folder / f"{role}-{table}.csv"
        run(
            "export",
            "hxl",
            "--db",
            db,
            "--operation",
            OPERATION,
            "--table",
            table,
            "--role",
            role,
            "--out",
            str(out),
        )
        texts.append(out.read_text(encoding="utf-8"))
    out = folder / f"{role}.geojson"
    run(
        "export", "geojson", "--db", db, "--operation", OPERATION, "--role", role, "--out", str(out)
    )
    texts.append(out.read_text(encoding="utf-8"))
    return "\n".join(texts)


@pytest.mark.parametrize("role", ["liaison", "observer"])
def test_a_liaison_or_observer_export_names_nobody(db: str, tmp_path: Path, role: str) -> None:
    """No seeded name, free text, manifest person id or trip id in any table or the map."""
    text = every_export(db, tmp_path, role)
    for secret in (*SEEDED_NAMES, PERSON, "held at the checkpoint", "saw shots"):
        assert secret not in text
    for trip in TRIPS:
        assert f",{trip}," not in text
        assert f'"{trip}"' not in text


def test_a_coordinator_export_keeps_notes_and_trips(db: str, tmp_path: Path) -> None:
    """The neutral role sees the incident note and trips by id (so the grep above can fail)."""
    text = every_export(db, tmp_path, "coordinator")
    assert "Abu Hassan saw shots at the second bus" in text
    assert '"t3"' in text
    assert PERSON not in text


def test_the_export_says_what_it_wrote(db: str, tmp_path: Path) -> None:
    """--json names the file, the rows and the ledger event the export is traced to."""
    out = tmp_path / "figures.csv"
    result = run("export", "hxl", "--db", db, "--operation", OPERATION, "--out", str(out), "--json")
    said = json.loads(result.stdout)
    with open_store(db) as store:
        head = store.head()
    assert (said["ledger_sequence"], said["ledger_hash"]) == (head.sequence, head.hash)
    assert said["rows"] == len(out.read_text(encoding="utf-8").splitlines()) - 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--operation", "nowhere"), "operation 'nowhere' has not been opened"),
        (
            ("--operation", OPERATION, "--day", "2016-12-01"),
            "day: 2016-12-01 is outside the operation",
        ),
        (("--operation", OPERATION, "--day", "20 Dec"), "day: expected a date YYYY-MM-DD"),
        (("--operation", OPERATION, "--role", "party"), "role: 'party' is not a role"),
        (("--operation", OPERATION, "--table", "names"), "table: 'names' is not an export table"),
    ],
)
def test_bad_input_is_one_error_line_and_leaves_no_file(
    db: str, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    """Exit 2 with `error: ...` naming the field and value; nothing written, no temp file."""
    out = tmp_path / "out.csv"
    result = run("export", "hxl", "--db", db, *args, "--out", str(out), code=2)
    assert f"error: {message}" in result.output
    assert list(tmp_path.iterdir()) == []


def test_an_empty_ledger_is_refused(tmp_path: Path) -> None:
    """A ledger with no events says so instead of writing an empty export."""
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    open_store(url).close()
    out = tmp_path / "map.geojson"
    result = run(
        "export", "geojson", "--db", url, "--operation", OPERATION, "--out", str(out), code=2
    )
    assert "error: the ledger is empty" in result.output
    assert not out.exists()


def test_a_failed_export_keeps_the_previous_file(db: str, tmp_path: Path) -> None:
    """An export that fails leaves an existing file at --out exactly as it was."""
    out = tmp_path / "figures.csv"
    out.write_text("earlier export\n", encoding="utf-8")
    run(
        "export",
        "hxl",
        "--db",
        db,
        "--operation",
        OPERATION,
        "--day",
        "2017-01-01",
        "--out",
        str(out),
        code=2,
    )
    assert out.read_text(encoding="utf-8") == "earlier export\n"
