"""The fault campaign: SIGKILL a writer mid-command on SQLite and PostgreSQL, then count.

Each round starts `bench.fault_writer`, lets it write single-event commands
for a seeded random time (20-400 ms after its first acknowledgement), kills
it with SIGKILL, and checks the ledger with a fresh connection: `verify`
must pass, and the next round first re-sends the command that was in flight
(same idempotency key), as a client whose answer was lost does. At the end:

- `acknowledged`: commands the writer reported as recorded;
- `lost`: acknowledged commands not in the ledger (goal 0);
- `duplicated`: commands recorded more than once (goal 0);
- `verify_failures`: rounds after which `verify` failed (goal 0);
- `in_flight_recorded`: commands killed before their answer that were
  nevertheless committed (not an error: the retry returns them).

Also the single-command write rate against the disk's fsync rate on SQLite
(median of back-to-back pairs, as in `bench_ledger`), and the idle-burst
count: the API's ledger (its bounded pool) takes three bursts of requests on
new threads, each after an idle spell, and the process's open descriptors
(SQLite) or the server's sessions (PostgreSQL) are counted after each burst;
`leaked` is the growth from the first burst to the last (goal 0).

Then the faults under HTTP load (`bench.fault_serve`): a real `corridor serve`
SIGKILLed under four writing clients with idempotency keys, on SQLite and on
PostgreSQL, and the PostgreSQL server itself crashed and started again while
`corridor serve` stays up (a private cluster, `bench.fault_postgres`). The
table of all campaigns is printed at the end.

`python -m bench faults` (about five minutes; `--quick`: under a minute).
"""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.bench_ledger import ROOT, append_figures, postgres_cluster
from bench.fault_postgres import crashable_cluster
from bench.fault_serve import postgres_crashes, serve_kills
from corridor.bootstrap import open_store

SEED = 20161215


def _round(url: str, first: int, wait: float) -> list[int]:
    """One writer killed `wait` seconds after its first answer; the N it acknowledged."""
    writer = subprocess.Popen(
        [sys.executable, "-m", "bench.fault_writer", url, str(first), "1000000"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    acknowledged: list[int] = []
    started = threading.Event()

    def read() -> None:
        assert writer.stdout is not None
        for line in writer.stdout:
            acknowledged.append(int(line))
            started.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    started.wait(60)
    time.sleep(wait)
    writer.kill()
    writer.wait()
    reader.join(10)
    return acknowledged


def campaign(url: str, rounds: int, rng: random.Random) -> dict[str, int]:
    """`rounds` kills on the ledger at `url`; the counts the issue asks for."""
    open_store(url).close()
    acknowledged: set[int] = set()
    verify_failures = 0
    following = 0
    for _ in range(rounds):
        answered = _round(url, following, rng.uniform(0.02, 0.4))
        acknowledged.update(answered)
        # The next writer re-sends the command in flight (no answer) under its key.
        following = answered[-1] + 1 if answered else following
        with open_store(url) as store:
            if not store.verify().ok:
                verify_failures += 1
    with open_store(url) as store:
        recorded = Counter(e.data()["n"] for e in store.read())
    return {
        "kills": rounds,
        "acknowledged": len(acknowledged),
        "lost": len(acknowledged - set(recorded)),
        "duplicated": sum(1 for count in recorded.values() if count > 1),
        "verify_failures": verify_failures,
        "in_flight_recorded": len(set(recorded) - acknowledged),
    }


def run(quick: bool) -> dict[str, Any]:
    rounds = 3 if quick else 30
    served_faults = 2 if quick else 10
    rng = random.Random(SEED)
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="corridor-faults-", dir=ROOT / "bench") as folder:
        base = Path(folder)
        figures["sqlite"] = campaign(f"sqlite:///{base / 'faults.db'}", rounds, rng)
        figures["serve_kills_sqlite"] = serve_kills(
            f"sqlite:///{base / 'served.db'}", base, served_faults, rng
        )
        with postgres_cluster() as cluster:
            if cluster is None:
                figures["postgresql"] = "skipped: no PostgreSQL server on this machine"
            else:
                from tests.support.postgres import create_database

                url = create_database(cluster, "faults")
                figures["postgresql"] = campaign(url, rounds, rng)
                served = create_database(cluster, "served")
                figures["serve_kills_postgresql"] = serve_kills(served, base, served_faults, rng)
            figures["idle_bursts"] = _burst_figures(base, cluster, 1.0 if quick else 11.0)
        with crashable_cluster() as crashable:
            if crashable is not None:
                from tests.support.postgres import create_database

                url = create_database(crashable, "crashed")
                figures["postgres_crashes"] = postgres_crashes(
                    crashable, url, base, served_faults, rng
                )
        single = 200 if quick else 1_000
        with open_store(f"sqlite:///{base / 'single.db'}") as store:
            appends = append_figures(store, single, 1, base)
        figures["sqlite_single_commands"] = {
            key: appends[key]
            for key in (
                "single_event_commands_per_s",
                "fsync_per_s_beside_single_commands",
                "single_commands_share_of_fsync",
            )
        }
    print(table(figures), flush=True)
    return figures


ROWS = (
    ("faults", "faults"),
    ("acknowledged", "acknowledged"),
    ("lost", "lost"),
    ("duplicated", "duplicated"),
    ("verify_failures", "verify failures"),
    ("answers_503", "503 answers (of them without Retry-After)"),
    ("other_failures", "other failures"),
)
COLUMNS = (
    ("sqlite", "writer SIGKILL, SQLite"),
    ("postgresql", "writer SIGKILL, PostgreSQL"),
    ("serve_kills_sqlite", "serve SIGKILL, SQLite"),
    ("serve_kills_postgresql", "serve SIGKILL, PostgreSQL"),
    ("postgres_crashes", "PostgreSQL server crash"),
)


def table(figures: dict[str, Any]) -> str:
    """The campaigns side by side, as a Markdown table."""
    shown = [(key, title) for key, title in COLUMNS if isinstance(figures.get(key), dict)]
    lines = ["| | " + " | ".join(title for _, title in shown) + " |"]
    lines.append("|---" * (len(shown) + 1) + "|")
    for row, label in ROWS:
        cells = []
        for key, _ in shown:
            column = figures[key]
            value = column.get(row, column.get("kills") if row == "faults" else None)
            if row == "answers_503" and value is not None:
                value = f"{value} ({column.get('503_without_retry_after', 0)} without)"
            if row == "other_failures":
                value = sum(value.values()) if isinstance(value, dict) else 0
            cells.append("" if value is None else f"{value:,}" if isinstance(value, int) else value)
        lines.append(f"| {label} | " + " | ".join(str(c) for c in cells) + " |")
    return "\n".join(lines)


BURSTS = 3
BURST_THREADS = 39
"""As many new threads as a burst of requests started in the field campaign."""


def idle_bursts(url: str, count: Callable[[], int], idle: float) -> dict[str, Any]:
    """Open descriptors or sessions after each burst that follows an idle spell."""
    from corridor.domain.events import NewEvent
    from corridor.entrypoints.api.context import open_context
    from corridor.protection.keys import MasterKey

    context = open_context(url, MasterKey.generate())
    seen: list[int] = []
    try:
        for round_ in range(BURSTS):
            time.sleep(idle)

            def work(index: int, round_: int = round_) -> None:
                context.ledger.head()
                event = NewEvent("operation-burst", "burst", {"round": round_, "at": index})
                context.ledger.append([event], actor="burst")

            threads = [threading.Thread(target=work, args=(i,)) for i in range(BURST_THREADS)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            seen.append(count())
    finally:
        context.close()
    return {"after_each_burst": seen, "leaked": seen[-1] - seen[0], "idle_seconds": idle}


def _burst_figures(base: Path, cluster: Any, idle: float) -> dict[str, Any]:
    import psutil

    figures = {"sqlite_descriptors": idle_bursts(
        f"sqlite:///{base / 'bursts.db'}", psutil.Process().num_fds, idle
    )}  # fmt: skip
    if cluster is not None:
        import sqlalchemy as sa
        from tests.support.postgres import create_database

        from corridor.adapters.ledger.postgres import sqlalchemy_url

        url = create_database(cluster, "bursts")
        watcher = sa.create_engine(sqlalchemy_url(url), poolclass=sa.pool.NullPool)
        query = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"

        def sessions() -> int:
            with watcher.connect() as connection:
                return int(connection.exec_driver_sql(query).scalar_one()) - 1

        try:
            figures["postgresql_sessions"] = idle_bursts(url, sessions, idle)
        finally:
            watcher.dispose()
    return figures
