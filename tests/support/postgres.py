"""A throwaway PostgreSQL cluster for the test session.

PostgreSQL refuses to run as root, and CI runs as root: there the cluster is
initialised and started as the `postgres` system user (through `runuser`) in a
temporary folder that user owns. Elsewhere it runs as the current user. Under
CI=true (or CORRIDOR_REQUIRE_POSTGRES=1) a missing server is a failure, never a
skip, so the PostgreSQL half of the contract suite cannot silently vanish.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


def postgres_required() -> bool:
    """True when PostgreSQL tests must run (CI), false when they may skip."""
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"} or bool(
        os.environ.get("CORRIDOR_REQUIRE_POSTGRES")
    )


def find_bindir() -> Path | None:
    """The folder holding initdb and pg_ctl, newest major version first."""
    found = shutil.which("pg_ctl")
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for folder in candidates:
        if (Path(folder) / "initdb").exists():
            return Path(folder)
    if found:
        real = Path(os.path.realpath(found)).parent
        if (real / "initdb").exists():
            return real
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class Cluster:
    """A running server: connect with `url(dbname)`."""

    host: str
    port: int
    user: str

    def url(self, dbname: str = "postgres", driver: str = "postgresql+psycopg") -> str:
        return f"{driver}://{self.user}@{self.host}:{self.port}/{dbname}"

    def dsn(self, dbname: str = "postgres") -> str:
        return f"host={self.host} port={self.port} user={self.user} dbname={dbname}"


@contextmanager
def throwaway_cluster() -> Iterator[Cluster]:
    """Initialise, start and finally remove a private cluster on a free port."""
    bindir = find_bindir()
    if bindir is None:
        raise FileNotFoundError("PostgreSQL server binaries (initdb, pg_ctl) not found")
    as_root = os.geteuid() == 0
    runner: list[str] = []
    owner = None
    if as_root:
        owner = pwd.getpwnam("postgres")
        runner = ["runuser", "-u", "postgres", "--"]
    base = Path(tempfile.mkdtemp(prefix="corridor-pg-"))
    if owner is not None:
        os.chown(base, owner.pw_uid, owner.pw_gid)
    data = base / "data"
    port = _free_port()
    env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
    subprocess.run(
        [*runner, str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
         "-E", "UTF8", "--no-sync"],
        check=True, capture_output=True, env=env,
    )  # fmt: skip
    options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c max_connections=200"
    subprocess.run(
        [*runner, str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l",
         str(base / "log"), "-w", "-t", "60", "start"],
        check=True, capture_output=True, env=env,
    )  # fmt: skip
    try:
        cluster = Cluster(host="127.0.0.1", port=port, user="postgres")
        _wait_ready(cluster)
        yield cluster
    finally:
        subprocess.run(
            [*runner, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
            capture_output=True, env=env,
        )  # fmt: skip
        shutil.rmtree(base, ignore_errors=True)


def _wait_ready(cluster: Cluster, seconds: float = 30.0) -> None:
    import psycopg

    deadline = time.monotonic() + seconds
    while True:
        try:
            with psycopg.connect(cluster.dsn(), connect_timeout=2):
                return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def create_database(cluster: Cluster, name: str) -> str:
    """Create an empty database and return its SQLAlchemy URL."""
    import psycopg

    with psycopg.connect(cluster.dsn(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return cluster.url(name)
