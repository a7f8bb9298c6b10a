"""`corridor serve` refuses a missing or wrong vault key at start-up, in one line, writing none."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa
from typer.testing import CliRunner

from corridor.adapters.vault.store import SqlPersonVault
from corridor.bootstrap import open_store
from corridor.entrypoints.cli.main import app
from corridor.protection.access import AccessRole, Principal
from corridor.protection.keys import MasterKey, write_key
from corridor.protection.person import PersonRecord
from corridor.services.personal_data import PersonalData

runner = CliRunner()
RECEPTION = Principal("tok-r", "op", AccessRole.RECEPTION)


def _serve(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run `corridor serve` as a process that must stop by itself (a refused start-up).

    The port it is given is held here, so a start-up that wrongly passes ends
    at once with uvicorn's bind error (exit 1) instead of serving.
    """
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = str(held.getsockname()[1])
        command = [sys.executable, "-m", "corridor.entrypoints.api", "--port", port, *args]
        env = {k: v for k, v in os.environ.items() if k != "CORRIDOR_VAULT_KEY"}
        return subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, check=False, env=env
        )


def _init(tmp_path: Path) -> tuple[str, Path]:
    db, key = f"sqlite:///{tmp_path / 'corridor.db'}", tmp_path / "corridor.key"
    result = runner.invoke(app, ["init", "--db", db, "--key-file", str(key)])
    assert result.exit_code == 0, result.output
    return db, key


def _one_error(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 2, (done.stdout, done.stderr)
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: ")
    return lines[0]


def test_serve_with_its_key_file_missing_refuses_and_writes_no_key(tmp_path: Path) -> None:
    """An initialised database whose key file is gone: exit 2, one line, no new key file."""
    db, key = _init(tmp_path)
    key.unlink()
    line = _one_error(_serve("--db", db, "--key-file", str(key)))
    assert str(key) in line
    assert not key.exists()


def test_serve_demo_with_its_key_file_missing_on_an_existing_ledger_writes_no_key(
    tmp_path: Path,
) -> None:
    """`--demo` initialises only a fresh database; over an existing one a lost key is an error."""
    db, key = _init(tmp_path)
    key.unlink()
    line = _one_error(_serve("--demo", "--db", db, "--key-file", str(key)))
    assert str(key) in line
    assert not key.exists()


def test_serve_with_a_wrong_key_file_is_refused_at_start_up(tmp_path: Path) -> None:
    """A key other than the one `corridor init` recorded the check of: exit 2, one line."""
    db, _key = _init(tmp_path)
    other = tmp_path / "other.key"
    write_key(other, MasterKey.generate())
    line = _one_error(_serve("--db", db, "--key-file", str(other)))
    assert "does not match" in line
    assert str(other) in line


def test_serve_with_a_wrong_key_value_is_refused_at_start_up(tmp_path: Path) -> None:
    """The key given as a value (`--key`) is checked the same way as a key file."""
    db, key = _init(tmp_path)
    line = _one_error(
        _serve("--db", db, "--key-file", str(key), "--key", MasterKey.generate().to_text())
    )
    assert "does not match" in line


def test_a_vault_sealed_before_key_checks_refuses_another_key(tmp_path: Path) -> None:
    """A database whose rows were sealed before any check was recorded still refuses a wrong key."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    sealed_with, other = tmp_path / "sealed.key", tmp_path / "other.key"
    write_key(sealed_with, MasterKey.generate())
    write_key(other, MasterKey.generate())
    with open_store(url) as ledger:
        vault = SqlPersonVault(url)
        data = PersonalData(ledger, vault, MasterKey.from_text(sealed_with.read_text()))
        data.register(RECEPTION, "op", PersonRecord("x", "Amal Haddad"))
        vault.close()
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM vault_key"))
    engine.dispose()
    line = _one_error(_serve("--db", url, "--key-file", str(other)))
    assert "sealed with another key" in line


def test_serve_starts_with_the_key_init_wrote_and_warns_of_an_open_key_file(
    tmp_path: Path,
) -> None:
    """The right key passes start-up; a key file others can read is warned about on stderr."""
    db, key = _init(tmp_path)
    os.chmod(key, stat.S_IRUSR | stat.S_IWUSR | stat.S_IRGRP | stat.S_IROTH)
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = str(free.getsockname()[1])
    command = [sys.executable, "-m", "corridor.entrypoints.api", "--port", port]
    command += ["--db", db, "--key-file", str(key)]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stderr is not None
        first, second = process.stderr.readline(), process.stderr.readline()
        assert first.startswith("warning: "), (first, second)
        assert str(key) in first
        assert "corridor API on" in second, (first, second)
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_init_records_the_key_check_and_refuses_a_second_key_for_the_same_vault(
    tmp_path: Path,
) -> None:
    """A second `init` on the same database with a new key file path is refused: no key written."""
    db, _key = _init(tmp_path)
    second = tmp_path / "second.key"
    result = runner.invoke(app, ["init", "--db", db, "--key-file", str(second)])
    assert result.exit_code == 2, result.output
    assert "already has a vault key" in result.stderr
    assert not second.exists()
