"""A private PostgreSQL cluster that a fault campaign can crash and start again.

Made as the tests' `postgres_url` fixture makes its cluster
(`tests/support/postgres.py`: `initdb` and `pg_ctl` in a temporary folder;
as root, run as the `postgres` user through `runuser`), but kept on one port
and data folder across restarts. `crash()` SIGKILLs the postmaster and every
backend at once, as a power cut or the kernel's OOM killer leaves them, so
`start()` runs PostgreSQL's crash recovery from its WAL.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path


def crash_processes(postmaster: int) -> None:
    """SIGKILL a postmaster and every process it started, as a power cut would stop them."""
    import psutil

    try:
        parent = psutil.Process(postmaster)
        children = parent.children(recursive=True)
    except psutil.NoSuchProcess:
        return
    for process in [parent, *children]:
        with suppress(ProcessLookupError):
            os.kill(process.pid, signal.SIGKILL)
    psutil.wait_procs([parent, *children], timeout=30)


class CrashableCluster:
    """A running cluster on a fixed port: `dsn()`/`url()` as the tests' `Cluster`."""

    def __init__(self, bindir: Path, base: Path, port: int, runner: list[str]) -> None:
        self.bindir, self.base, self.port, self.runner = bindir, base, port, runner
        self.host, self.user = "127.0.0.1", "postgres"
        self.data = base / "data"
        self.env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}

    def url(self, dbname: str = "postgres", driver: str = "postgresql+psycopg") -> str:
        return f"{driver}://{self.user}@{self.host}:{self.port}/{dbname}"

    def dsn(self, dbname: str = "postgres") -> str:
        return f"host={self.host} port={self.port} user={self.user} dbname={dbname}"

    def _pg_ctl(self, *args: str) -> None:
        subprocess.run([*self.runner, str(self.bindir / "pg_ctl"), "-D", str(self.data), *args],
                       check=True, capture_output=True, env=self.env)  # fmt: skip

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 -c max_connections=200"
        )
        self._pg_ctl("-o", options, "-l", str(self.base / "log"), "-w", "-t", "120", "start")

    def crash(self) -> None:
        """SIGKILL the server and its backends; nothing is flushed or checkpointed."""
        first_line = (self.data / "postmaster.pid").read_text().split("\n", 1)[0]
        crash_processes(int(first_line))
        (self.data / "postmaster.pid").unlink(missing_ok=True)

    def stop(self) -> None:
        stop = ["-m", "immediate", "-w", "stop"]
        subprocess.run([*self.runner, str(self.bindir / "pg_ctl"), "-D", str(self.data), *stop],
                       capture_output=True, env=self.env)  # fmt: skip


@contextmanager
def crashable_cluster() -> Iterator[CrashableCluster | None]:
    """A started cluster, or None when no PostgreSQL server binaries are installed."""
    from tests.support.postgres import _free_port, find_bindir

    bindir = find_bindir()
    if bindir is None:
        yield None
        return
    runner: list[str] = []
    base = Path(tempfile.mkdtemp(prefix="corridor-faults-pg-"))
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        runner = ["runuser", "-u", "postgres", "--"]
        os.chown(base, owner.pw_uid, owner.pw_gid)
    cluster = CrashableCluster(bindir, base, _free_port(), runner)
    subprocess.run(
        [*runner, str(bindir / "initdb"), "-D", str(cluster.data), "-U", "postgres", "-A",
         "trust", "-E", "UTF8", "--no-sync"],
        check=True, capture_output=True, env=cluster.env,
    )  # fmt: skip
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(base, ignore_errors=True)
