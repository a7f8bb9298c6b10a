"""`corridor people import|duplicates|merge|reverse` against a real SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from corridor.entrypoints.cli.main import app

runner = CliRunner()
OPERATION = "east-aleppo-2016"
SHEET = (
    "ref,full_name,sex,birth_year,household,origin,movement\n"
    "FC-1001,محمد أحمد الحلبي,m,1980,hh-1,al-shaar,east-aleppo\n"
    "FC-1001,Mohammed Ahmad Al-Halabi,m,1980,hh-1,al-shaar,east-aleppo\n"
    "FC-2002,Zainab Qassem,f,1990,hh-3,sukkari,east-aleppo\n"
    "FC-3003,Sami Qudsi,m,2009,,sukkari,east-aleppo\n"
)


def _setup(tmp_path: Path) -> list[str]:
    db = f"sqlite:///{tmp_path / 'corridor.db'}"
    key = tmp_path / "corridor.key"
    opened = runner.invoke(app, ["demo", "--db", db])
    assert opened.exit_code == 0, opened.output
    made = runner.invoke(app, ["init", "--db", db, "--key-file", str(key)])
    assert made.exit_code == 0, made.output
    return ["-o", OPERATION, "--db", db, "--key-file", str(key)]


def _json(args: list[str]) -> dict[str, object]:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    value: dict[str, object] = json.loads(result.stdout)
    return value


def test_an_officer_imports_sees_the_pair_merges_and_splits_it(tmp_path: Path) -> None:
    """The whole round from a shell: import, candidates by id with refs, merge, reverse."""
    where = _setup(tmp_path)
    sheet = tmp_path / "desk-3.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    imported = _json(["people", "import", str(sheet), *where])
    people = imported["people"]
    assert isinstance(people, list)
    assert [(p["row"], p["ref"], p["flag"]) for p in people] == [
        (2, "FC-1001", ""), (3, "FC-1001", ""), (4, "FC-2002", ""), (5, "FC-3003", "no-household")
    ]  # fmt: skip
    candidates = _json(["people", "duplicates", *where])["candidates"]
    assert isinstance(candidates, list)
    ids = sorted((people[0]["person"], people[1]["person"]))
    assert [(c["left"], c["right"]) for c in candidates] == [tuple(ids)]
    merged = _json(["people", "merge", ids[0], ids[1], *where])
    assert merged["kind"] == "merged"
    assert _json(["people", "duplicates", *where])["candidates"] == []
    reason = ["--reason", "two men of one name"]
    _json(["people", "reverse", str(merged["id"]), *reason, *where])
    assert len(_json(["people", "duplicates", *where])["candidates"]) == 1  # type: ignore[arg-type]


def test_a_bad_sheet_is_one_error_line_per_problem_and_exit_2(tmp_path: Path) -> None:
    """Each bad row is named by row and field on stderr, nothing is imported, exit code 2."""
    where = _setup(tmp_path)
    sheet = tmp_path / "bad.csv"
    sheet.write_text("full_name,birth_year\n,1980\nAhmad,2999\n", encoding="utf-8")
    result = runner.invoke(app, ["people", "import", str(sheet), *where])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("error: ")
    assert "row 2, full_name: empty" in lines[0]
    assert "row 3, birth_year: 2999 is in the future" in lines[1]
    assert lines[-1] == "error: nothing was imported (2 problems)"
    again = _json(["people", "duplicates", *where])
    assert again["candidates"] == []


def test_an_unknown_operation_is_refused(tmp_path: Path) -> None:
    """Importing into an operation that was never opened names it and exits 2."""
    where = _setup(tmp_path)
    where[1] = "nowhere"
    sheet = tmp_path / "s.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    result = runner.invoke(app, ["people", "import", str(sheet), *where])
    assert result.exit_code == 2
    assert "operation 'nowhere' has not been opened" in result.output


def test_a_monitor_boards_a_trip_from_a_manifest_on_the_command_line(tmp_path: Path) -> None:
    """`ops board --manifest` takes the groups from the vault and records ids, never names."""
    where = _setup(tmp_path)
    db, key = where[3], where[5]
    sheet = tmp_path / "desk-3.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    people = _json(["people", "import", str(sheet), *where])["people"]
    assert isinstance(people, list)
    ids = [p["person"] for p in people[2:]]
    plan = ["ops", "plan", OPERATION, "t1", "--movement", "east-aleppo"]
    _json([*plan, "--vehicle", "bus-aleppo-depot-1", "--db", db])
    manifest = [arg for person in ids for arg in ("--manifest", person)]
    board = ["ops", "board", OPERATION, "t1", "--site", "east-aleppo", *manifest]
    boarded = _json([*board, "--key-file", key, "--db", db])
    (event,) = [e for e in boarded["events"] if e["type"] == "trip-boarded"]
    # Groups come from the records' tags: neither is tagged unaccompanied.
    assert event["data"]["counts"] == {"civilians": 2}
    assert event["data"]["manifest"] == sorted(ids)
    assert "Zainab" not in json.dumps(boarded)
