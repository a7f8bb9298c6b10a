"""The field app's sync against a real `corridor serve` on SQLite, over loopback.

Figures:
- `one_device`: 1,000 captures queued on one device and synced end to end
  (goal: under 10 s, full durability: WAL with synchronous=FULL). Measured two
  ways when Chromium is installed: by the app itself (`chromium`: the
  outbox filled in IndexedDB while offline, then the clock runs from going
  online to the last capture sent), and by Python sending the same requests
  the app sends, batches of 50 one after another (`python`); medians of the
  runs; and once through the single-capture route, one request a capture
  (`python_single_route_seconds`), for comparison;
- `devices`: 30 devices syncing at once, each signed in with its own token,
  each sending its captures in order, in batches of 10, from its own thread,
  then re-sending one in five under the same keys (a retry after a lost
  answer); per-capture latency (its batch's) p50/p99 in ms; then the ledger
  is read back: every capture must be there exactly once (`lost`,
  `doubled`). This part is driven from Python with the app's requests
  (cookie, `Authorization: Field <csrf>`, each capture's key and the
  device's `at`), not by 30 browsers.

Captures are incident reports: they need no trip on the road, so any number
can be queued; a headcount goes through the same route and ledger.
"""

from __future__ import annotations

import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from bench.serving import free_port, wait_until_healthy
from corridor.adapters.vault.store import SqlTokenStore
from corridor.bootstrap import open_store
from corridor.protection.keys import MasterKey, write_key
from corridor.services.access_tokens import issue_token

ROOT = Path(__file__).resolve().parents[1]
OPERATION = "east-aleppo-2016"
CAPTURES = "/field/ops/east-aleppo-2016/captures"
BATCH = f"{CAPTURES}/batch"
BATCH_SIZE = 50
START = "2016-12-15T10:00:00+02:00"
DEVICES = 30
RESEND_EVERY = 5
DEVICE_BATCH = 10
"""Captures per batch in the 30-device part: a device online now and then sends few at once."""


def _corridor() -> str:
    found = Path(sys.executable).parent / "corridor"
    return str(found) if found.exists() else shutil.which("corridor") or "corridor"


@contextmanager
def served(folder: Path, monitors: int) -> Iterator[tuple[str, str, list[str]]]:
    """`corridor serve` on a fresh SQLite file with the operation open as an exercise."""
    db_url = f"sqlite:///{folder / f'field-{time.monotonic_ns()}.db'}"
    key_file = folder / f"key-{time.monotonic_ns()}"
    write_key(key_file, MasterKey.generate())
    open_store(db_url).close()
    tokens = SqlTokenStore(db_url)
    coordinator = issue_token(tokens, OPERATION, "coordinator", "bench")[0]
    issued = [issue_token(tokens, OPERATION, "monitor", f"device {n}")[0] for n in range(monitors)]
    tokens.close()
    port = free_port()
    command = [_corridor(), "serve", "--db", db_url, "--port", str(port),
               "--key-file", str(key_file)]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, process)
        body = {"id": OPERATION, "scenario": OPERATION, "clock": {"start": START}}
        opened = httpx.post(f"{url}/operations", json=body, timeout=60,
                            headers={"Authorization": f"Bearer {coordinator}"})  # fmt: skip
        opened.raise_for_status()
        yield url, db_url, issued
    finally:
        process.terminate()
        process.wait(timeout=60)


def sign_in(url: str, token: str) -> tuple[httpx.Client, str]:
    """A client signed in on /field as the app is: its cookie, and the page's CSRF value."""
    client = httpx.Client(base_url=url, timeout=60)
    page = client.get("/field/")
    login = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert login is not None
    client.post("/field/signin", data={"token": token, "csrf": login.group(1)})
    shell = client.get("/field/")
    csrf = re.search(r'data-csrf="([^"]+)"', shell.text)
    assert csrf is not None, "not signed in"
    return client, csrf.group(1)


def capture(note: str) -> dict[str, Any]:
    return {"kind": "incident", "site": "ramouseh", "corridor": "ramouseh",
            "incident_kind": "blocked-convoy", "severity": 2, "note": note,
            "at": "2016-12-15T10:05:00+02:00"}  # fmt: skip


def send(client: httpx.Client, csrf: str, key: str, body: dict[str, Any]) -> float:
    """One capture as the outbox sends it; the seconds it took to be answered 201."""
    started = time.perf_counter()
    headers = {"Idempotency-Key": key, "Authorization": f"Field {csrf}"}
    answer = client.post(CAPTURES, json=body, headers=headers)
    if answer.status_code != 201:
        raise RuntimeError(f"capture refused: {answer.status_code} {answer.text[:200]}")
    return time.perf_counter() - started


def send_batch(client: httpx.Client, csrf: str, entries: list[tuple[str, dict[str, Any]]]) -> float:
    """Captures in one batch as the outbox sends them; seconds until all were answered."""
    started = time.perf_counter()
    body = {"captures": [{"key": key, "capture": capture} for key, capture in entries]}
    answer = client.post(BATCH, json=body, headers={"Authorization": f"Field {csrf}"})
    results = answer.json().get("results", []) if answer.status_code == 200 else []
    if len(results) != len(entries) or any(r["status"] != 201 for r in results):
        raise RuntimeError(f"batch refused: {answer.status_code} {answer.text[:200]}")
    return time.perf_counter() - started


def batches(queued: list[Any], size: int = BATCH_SIZE) -> list[list[Any]]:
    return [queued[n : n + size] for n in range(0, len(queued), size)]


def recorded_notes(db_url: str) -> list[str]:
    with open_store(db_url, create=False) as store:
        return [e.data()["note"] for e in store.read() if e.type == "incident-reported"]


def _python_run(
    url: str, token: str, db_url: str, count: int, run: int, single: bool = False
) -> float:
    client, csrf = sign_in(url, token)
    queued = [(str(uuid.uuid4()), capture(f"python {run} {n}")) for n in range(count)]
    started = time.perf_counter()
    if single:
        for key, body in queued:
            send(client, csrf, key, body)
    else:
        for batch in batches(queued):
            send_batch(client, csrf, batch)
    elapsed = time.perf_counter() - started
    client.close()
    notes = [n for n in recorded_notes(db_url) if n.startswith(f"python {run} ")]
    assert sorted(notes) == sorted(b["note"] for _, b in queued), "lost or doubled"
    return elapsed


def _chromium_run(url: str, token: str, db_url: str, count: int, run: int) -> float | str:
    sys.path.insert(0, str(ROOT))
    from tests.support.browser import CHROMIUM_FLAGS, chromium_path

    found = chromium_path()
    if found is None:
        return "skipped: Chromium is not installed"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(found), args=CHROMIUM_FLAGS)
        context = browser.new_context(service_workers="block")
        page = context.new_page()
        page.goto(url + "/field/")
        page.fill("#token", token)
        page.click("form[action='/field/signin'] button")
        page.wait_for_selector("#app[data-ready='yes']")
        context.set_offline(True)
        page.evaluate(
            """([count, run]) => (async () => {
                 const clock = {mode: "live"};
                 for (let n = 0; n < count; n++) {
                   await Outbox.add("east-aleppo-2016", clock, {kind: "incident", site: "ramouseh",
                     corridor: "ramouseh", incident_kind: "blocked-convoy", severity: 2,
                     note: "chromium " + run + " " + n});
                 }
               })()""",
            [count, run],
        )
        page.wait_for_selector(f"#app[data-pending='{count}']", state="attached")
        started = time.perf_counter()
        context.set_offline(False)
        page.wait_for_selector(
            f"#app[data-sent='{count}'][data-pending='0']", state="attached", timeout=600_000
        )
        elapsed = time.perf_counter() - started
        browser.close()
    notes = [n for n in recorded_notes(db_url) if n.startswith(f"chromium {run} ")]
    assert sorted(notes) == sorted(f"chromium {run} {n}" for n in range(count)), "lost or doubled"
    return elapsed


def _devices(url: str, tokens: list[str], db_url: str, per_device: int) -> dict[str, Any]:
    latencies: list[float] = []
    expected: list[str] = []
    lock = threading.Lock()
    errors: list[str] = []
    signed = [sign_in(url, t) for t in tokens]
    barrier = threading.Barrier(len(signed))

    def device(number: int, client: httpx.Client, csrf: str) -> None:
        queued = [(str(uuid.uuid4()), capture(f"device {number} {n}")) for n in range(per_device)]
        mine: list[float] = []
        barrier.wait()
        try:
            for batch in batches(queued, DEVICE_BATCH):
                took = send_batch(client, csrf, batch)
                mine.extend([took] * len(batch))  # each capture is answered with its batch
            # The answers to one capture in five were lost: sent again, in one batch.
            send_batch(client, csrf, queued[::RESEND_EVERY])
        except Exception as failed:
            with lock:
                errors.append(str(failed))
        with lock:
            latencies.extend(mine)
            expected.extend(b["note"] for _, b in queued)

    threads = [threading.Thread(target=device, args=(n, c, s)) for n, (c, s) in enumerate(signed)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    for client, _ in signed:
        client.close()
    notes = [n for n in recorded_notes(db_url) if n.startswith("device ")]
    ordered = sorted(latencies)
    counted: dict[str, int] = {}
    for note in notes:
        counted[note] = counted.get(note, 0) + 1
    return {
        "devices": len(tokens),
        "captures_per_device": per_device,
        "resent_under_same_key": len(tokens) * len(range(0, per_device, RESEND_EVERY)),
        "captures": len(expected),
        "lost": len(set(expected) - set(counted)),
        "doubled": sum(1 for c in counted.values() if c > 1),
        "errors": errors[:5],
        "seconds": round(elapsed, 2),
        "captures_per_s": round(len(expected) / elapsed, 1),
        "p50_ms": round(1000 * ordered[len(ordered) // 2], 1),
        "p99_ms": round(1000 * ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))], 1),
        "captures_per_batch": DEVICE_BATCH,
        "latency": "per capture: the time its batch took to be answered",
        "driver": "Python threads sending the app's requests (not 30 browsers)",
    }


def run(quick: bool) -> dict[str, Any]:
    count = 50 if quick else 1000
    runs = 1 if quick else 3
    per_device = 5 if quick else 40
    figures: dict[str, Any] = {"goal_one_device_seconds": 10}
    with tempfile.TemporaryDirectory(prefix="corridor-bench-field-", dir=ROOT / "bench") as folder:
        base = Path(folder)
        with served(base, 1) as (url, db_url, tokens):
            python = [_python_run(url, tokens[0], db_url, count, r) for r in range(runs)]
            single = _python_run(url, tokens[0], db_url, count, runs, single=True)
            browser = [_chromium_run(url, tokens[0], db_url, count, r) for r in range(runs)]
        timed = [b for b in browser if isinstance(b, float)]
        figures["one_device"] = {
            "captures": count,
            "python_seconds": [round(s, 2) for s in python],
            "python_median_seconds": round(statistics.median(python), 2),
            "python_single_route_seconds": round(single, 2),
            "captures_per_batch": BATCH_SIZE,
            "chromium_seconds": [round(s, 2) for s in timed] or browser[0],
            "chromium_median_seconds": round(statistics.median(timed), 2) if timed else None,
            "store": "SQLite, WAL, synchronous=FULL (corridor serve's default)",
        }
        with served(base, DEVICES) as (url, db_url, tokens):
            figures["devices"] = _devices(url, tokens, db_url, per_device)
    return figures
