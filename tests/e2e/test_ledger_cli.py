"""`corridor init`, `ledger verify|export|import|show` and `demo`, through the CLI runner."""

from __future__ import annotations

import base64
import json
import stat
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from corridor.adapters.scenario_file import load_bundled
from corridor.bootstrap import open_store
from corridor.entrypoints.cli.main import app
from tests.support.ledger_contract import clock, fill
from tests.support.tampering import tamper_sql

runner = CliRunner()


def run(*args: str, code: int = 0) -> Any:
    """Invoke the CLI, check the exit code, return the result."""
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, result.output
    return result


def ledger(tmp_path: Path, name: str = "ledger.db", events: int = 6) -> str:
    url = f"sqlite:///{tmp_path / name}"
    with open_store(url, clock()) as store:
        fill(store, events)
    return url


def test_init_creates_the_database_and_a_private_key_file(tmp_path: Path) -> None:
    """init makes a migrated, empty ledger and a 0600 base64 key of 32 bytes."""
    db, key = tmp_path / "corridor.db", tmp_path / "corridor.key"
    run("init", "--db", f"sqlite:///{db}", "--key-file", str(key))
    assert db.exists()
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert len(base64.b64decode(key.read_text().strip(), validate=True)) == 32
    result = run("ledger", "verify", "--db", f"sqlite:///{db}", "--json")
    assert json.loads(result.stdout)["events"] == 0


def test_init_refuses_to_overwrite_a_key_file_and_creates_nothing(tmp_path: Path) -> None:
    """An existing key file is never replaced: exit 2, a clear message, no database."""
    key = tmp_path / "corridor.key"
    key.write_text("precious\n")
    db = tmp_path / "corridor.db"
    result = run("init", "--db", f"sqlite:///{db}", "--key-file", str(key), code=2)
    assert "already exists" in result.stderr
    assert str(key) in result.stderr
    assert key.read_text() == "precious\n"
    assert not db.exists()


def test_verify_reports_a_sound_ledger_as_json(tmp_path: Path) -> None:
    """verify --json says ok with the event count and head, exit 0."""
    url = ledger(tmp_path)
    report = json.loads(run("ledger", "verify", "--db", url, "--json").stdout)
    assert report["ok"] is True
    assert report["events"] == 6
    assert report["head"]["sequence"] == 6
    assert report["first_bad_sequence"] is None


@pytest.mark.parametrize(("how", "sequence"), [("change", 3), ("delete", 3), ("reorder", 3)])
def test_verify_on_a_tampered_database_names_the_sequence(
    tmp_path: Path, how: str, sequence: int
) -> None:
    """A hand-edited database fails verify with exit 1 and the first bad sequence."""
    url = ledger(tmp_path)
    tamper_sql(url, how)
    result = run("ledger", "verify", "--db", url, code=1)
    assert f"ledger corrupted at sequence {sequence}" in result.stderr
    report = json.loads(run("ledger", "verify", "--db", url, "--json", code=1).stdout)
    assert report["first_bad_sequence"] == sequence


def test_verify_of_a_missing_database_is_a_user_error(tmp_path: Path) -> None:
    """A ledger file that does not exist is reported, exit 2, and not created."""
    missing = tmp_path / "absent.db"
    result = run("ledger", "verify", "--db", f"sqlite:///{missing}", code=2)
    assert "no ledger at" in result.stderr
    assert not missing.exists()


def test_an_unknown_url_scheme_is_a_user_error(tmp_path: Path) -> None:
    """A URL of no known kind gets one line naming what is accepted."""
    result = run("ledger", "show", "--db", "mysql://x/y", code=2)
    assert "expected sqlite:///FILE" in result.stderr
    assert "Traceback" not in result.output


def test_export_then_import_round_trips_byte_for_byte(tmp_path: Path) -> None:
    """export -> import into an empty db -> export gives identical bytes."""
    url = ledger(tmp_path)
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    run("ledger", "export", "--db", url, "--out", str(first))
    copy = f"sqlite:///{tmp_path / 'copy.db'}"
    assert "imported 6 events" in run("ledger", "import", str(first), "--db", copy).stdout
    run("ledger", "export", "--db", copy, "--out", str(second))
    assert second.read_bytes() == first.read_bytes()
    assert run("ledger", "export", "--db", copy).stdout.encode() == first.read_bytes()


def test_import_refuses_a_broken_chain_and_leaves_no_database(tmp_path: Path) -> None:
    """A file with one changed line is refused naming its sequence; no file is left."""
    url = ledger(tmp_path)
    exported = run("ledger", "export", "--db", url).stdout.splitlines(keepends=True)
    exported[3] = exported[3].replace('"n":3', '"n":33')
    broken = tmp_path / "broken.jsonl"
    broken.write_text("".join(exported))
    target = tmp_path / "target.db"
    result = run("ledger", "import", str(broken), "--db", f"sqlite:///{target}", code=2)
    assert "sequence 4" in result.stderr
    assert "broken.jsonl:4" in result.stderr
    assert not target.exists()


def test_import_refuses_a_ledger_that_already_has_events(tmp_path: Path) -> None:
    """Importing into a non-empty ledger is refused and changes nothing."""
    url = ledger(tmp_path)
    dump = tmp_path / "dump.jsonl"
    run("ledger", "export", "--db", url, "--out", str(dump))
    result = run("ledger", "import", str(dump), "--db", url, code=2)
    assert "not empty" in result.stderr
    assert json.loads(run("ledger", "verify", "--db", url, "--json").stdout)["events"] == 6


def test_show_lists_events_of_one_stream_as_json(tmp_path: Path) -> None:
    """show --stream --json gives that stream's events with parsed payloads."""
    url = ledger(tmp_path)
    rows = json.loads(
        run("ledger", "show", "--db", url, "--stream", "operation/b", "--json").stdout
    )
    assert [(r["sequence"], r["version"], r["payload"]["n"]) for r in rows] == [
        (2, 1, 1),
        (4, 2, 3),
        (6, 3, 5),
    ]
    table = run("ledger", "show", "--db", url, "--limit", "2").stdout
    assert "ledger events (2 shown)" in table


def test_demo_opens_east_aleppo_in_a_fresh_verified_ledger(tmp_path: Path) -> None:
    """demo records the opening events, verifies them, and starts afresh on each run."""
    db = f"sqlite:///{tmp_path / 'demo.db'}"
    scenario = load_bundled("east-aleppo-2016")
    for _ in range(2):
        summary = json.loads(run("demo", "--db", db, "--json").stdout)
        assert summary["verified"] is True
        types = [e["type"] for e in summary["events"]]
        assert types[:2] == ["operation-opened", "scenario-loaded"]
        movements = ["movement-declared"] * len(scenario.movements)
        assert types[2:] == [*movements, "clock-set", "agreement-adopted"]
        assert summary["head"]["sequence"] == 4 + len(scenario.movements)
        assert sum(summary["people_by_group"].values()) == scenario.people()
        assert {m["id"] for m in summary["movements"]} == {m.id for m in scenario.movements}
    text = run("demo", "--db", db).stdout
    assert "chain verified" in text


def test_demo_refuses_to_replace_a_ledger_it_did_not_write(tmp_path: Path) -> None:
    """Pointing the demo at a real ledger is an error that leaves the ledger untouched."""
    url = ledger(tmp_path, "real.db")
    result = run("demo", "--db", url, code=2)
    assert "did not write" in result.stderr
    assert json.loads(run("ledger", "verify", "--db", url, "--json").stdout)["events"] == 6


def test_export_into_a_missing_folder_is_one_clear_line(tmp_path: Path) -> None:
    """An unwritable --out is a user error naming the file, not a traceback."""
    url = ledger(tmp_path)
    result = run("ledger", "export", "--db", url, "--out", str(tmp_path / "no" / "x.jsonl"), code=2)
    assert "cannot write" in result.stderr
    assert "Traceback" not in result.output


def test_import_of_a_binary_file_is_refused_without_leaving_a_database(tmp_path: Path) -> None:
    """A file that is not UTF-8 text is refused; the new database file is removed."""
    junk = tmp_path / "junk.jsonl"
    junk.write_bytes(b"\xff\xfe\x00binary")
    target = tmp_path / "target.db"
    result = run("ledger", "import", str(junk), "--db", f"sqlite:///{target}", code=2)
    assert "not UTF-8" in result.stderr
    assert not target.exists()
