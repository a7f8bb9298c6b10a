"""Which canonical JSON a ledger writes (RFC 8785 for new ones) and the auditor's recipe."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from corridor.bootstrap import open_store
from corridor.domain.events import NewEvent
from corridor.entrypoints.cli.main import app
from corridor.services.canonical_forms import LEGACY_FORM
from tests.support.ledger_contract import clock, fill

runner = CliRunner()
DOCS = Path(__file__).resolve().parents[2] / "docs" / "ledger.md"


def run(*args: str, code: int = 0) -> Any:
    """Invoke the CLI, check the exit code, return the result."""
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, result.output
    return result


def recipe(tmp_path: Path) -> Path:
    """The auditor's script, exactly as docs/ledger.md prints it."""
    found = re.search(r"<!-- auditor-recipe -->\n```python\n(.*?)```", DOCS.read_text(), re.S)
    assert found, "docs/ledger.md has no auditor recipe block"
    script = tmp_path / "audit.py"
    script.write_text(found.group(1))
    return script


def test_a_new_ledger_writes_rfc_8785_payloads(tmp_path: Path) -> None:
    """A new ledger records the form rfc8785 and stores 1.0 as 1, as RFC 8785 does."""
    url = f"sqlite:///{tmp_path / 'new.db'}"
    with open_store(url, clock()) as store:
        store.append([NewEvent("operation/a", "note-recorded", {"x": 1.0, "é": "a", "b": 1e21})])
        assert next(iter(store.read())).payload == '{"b":1e+21,"x":1,"é":"a"}'
    assert json.loads(run("ledger", "verify", "--db", url, "--json").stdout)["canonical_form"] == (
        "rfc8785"
    )


def test_a_ledger_from_before_forms_keeps_verifying_and_writing_its_own_form(
    tmp_path: Path,
) -> None:
    """A ledger holding events at schema 0004 is recorded corridor-json-1 and stays so."""
    db = tmp_path / "old.db"
    url = f"sqlite:///{db}"
    with open_store(url, clock()) as store:
        store.canonical_form = LEGACY_FORM  # written as the project's first form
        store.append([NewEvent("operation/a", "note-recorded", {"x": 1.0})])
    with sqlite3.connect(db) as old:  # back to the schema before the form was recorded
        old.execute("DROP TABLE ledger_form")
        old.execute("ALTER TABLE api_tokens DROP COLUMN expires_at")  # added by 0006
        old.execute("DROP TABLE fold_snapshots")  # added by 0007
        old.execute("UPDATE alembic_version SET version_num = '0004'")
    with open_store(url, clock()) as store:
        assert store.canonical_form == LEGACY_FORM
        store.append([NewEvent("operation/a", "note-recorded", {"x": 2.0})])
        assert [e.payload for e in store.read()] == ['{"x":1.0}', '{"x":2.0}']
    report = json.loads(run("ledger", "verify", "--db", url, "--json").stdout)
    assert report["ok"] is True
    assert report["canonical_form"] == LEGACY_FORM


def test_the_auditors_recipe_recomputes_every_hash_of_an_export(tmp_path: Path) -> None:
    """The script in docs/ledger.md confirms each hash and the head verify prints."""
    url = f"sqlite:///{tmp_path / 'l.db'}"
    with open_store(url, clock()) as store:
        fill(store, 5)
        store.append(
            [
                NewEvent(
                    "operation/a", "note-recorded", {"x": 0.1, "y": 1.0, "z": 1e-7, "t": "حلب\n"}
                )
            ]
        )
        head = store.head().hash
    out = tmp_path / "export.jsonl"
    run("ledger", "export", "--db", url, "--out", str(out))
    audit = [sys.executable, str(recipe(tmp_path)), str(out), head]
    done = subprocess.run(audit, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"ok: 6 events, head {head}"


def test_the_auditors_recipe_names_a_changed_line(tmp_path: Path) -> None:
    """One payload changed in the export: the script exits non-zero naming the line."""
    url = f"sqlite:///{tmp_path / 'l.db'}"
    with open_store(url, clock()) as store:
        fill(store, 4)
    out = tmp_path / "export.jsonl"
    run("ledger", "export", "--db", url, "--out", str(out))
    lines = out.read_text().splitlines()
    lines[2] = lines[2].replace('"n":2', '"n":7')
    out.write_text("\n".join(lines) + "\n")
    done = subprocess.run(
        [sys.executable, str(recipe(tmp_path)), str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert "line 3: sequence 3 does not match its hash" in done.stderr
