"""`corridor serve` stopped by SIGTERM (what systemd and docker send) shuts down cleanly."""

from __future__ import annotations

import json
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from typer.testing import CliRunner

from corridor.entrypoints.cli.main import app


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_after_sigterm_the_database_file_alone_holds_every_event(tmp_path: Path) -> None:
    """SIGTERM: exit 0, the WAL folded into corridor.db, so a copy of that file alone verifies."""
    port, db = _free_port(), tmp_path / "corridor.db"
    command = [sys.executable, "-m", "corridor.entrypoints.api", "--demo", "--port", str(port)]
    command += ["--db", f"sqlite:///{db}", "--key-file", str(tmp_path / "corridor.key")]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip().startswith("crd_")
        deadline = time.monotonic() + 120
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{port}/openapi.json")
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.3)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0, process.stderr.read() if process.stderr else ""
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    wal = Path(f"{db}-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    alone = tmp_path / "alone"
    alone.mkdir()
    shutil.copy(db, alone / "corridor.db")
    result = CliRunner().invoke(
        app, ["ledger", "verify", "--db", f"sqlite:///{alone / 'corridor.db'}", "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["events"] > 0
