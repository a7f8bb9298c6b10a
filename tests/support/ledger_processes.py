"""Real processes for the crash and concurrency tests.

`start_writer` forks a process that appends numbered commands for ever,
writing each command's number to a pipe only after `append` has returned: a
number read from the pipe is an acknowledged command. Command n has 1 + n % 3
events, so a half-written command would be visible. Forking (rather than
starting a new interpreter) keeps each kill point cheap; the child opens its
own connections, the parent holds none at the fork.

`racer` is a multiprocessing target: in each round it waits at a barrier with
its rival, then both try to append to the same stream at the same expected
version; it reports whether it won or got a ConcurrencyError.
"""

from __future__ import annotations

import os
from typing import IO, Any

from corridor.bootstrap import open_store
from corridor.domain.events import NewEvent
from corridor.errors import ConcurrencyError

COMMAND_TYPE = "crash-command"
RACE_STREAM = "race"


def command_events(number: int) -> list[NewEvent]:
    """The events of command `number`: 1 to 3 of them, over three streams."""
    parts = 1 + number % 3
    return [
        NewEvent(
            f"crash/{(number + part) % 3}",
            COMMAND_TYPE,
            {"command": number, "part": part, "of": parts},
        )
        for part in range(parts)
    ]


def _write_for_ever(url: str, first: int, acknowledge: int) -> None:
    store = open_store(url, migrate=False)
    number = first
    while True:
        store.append(command_events(number), actor="writer", idempotency_key=f"command-{number}")
        os.write(acknowledge, f"{number}\n".encode())
        number += 1


def start_writer(url: str, first: int) -> tuple[int, IO[str]]:
    """Fork a writer from command `first`; returns its pid and the acknowledgements pipe."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the writer: never returns into the test runner
        os.close(read_end)
        try:
            _write_for_ever(url, first, write_end)
        finally:
            os._exit(1)
    os.close(write_end)
    return pid, os.fdopen(read_end, "r")


def racer(url: str, name: str, rounds: int, barrier: Any, results: Any) -> None:
    store = open_store(url, migrate=False)
    try:
        for round_ in range(rounds):
            barrier.wait(timeout=60)
            event = NewEvent(RACE_STREAM, "race-won", {"round": round_, "racer": name})
            try:
                store.append([event], {RACE_STREAM: round_}, actor=name)
                results.put((round_, name, "won"))
            except ConcurrencyError:
                results.put((round_, name, "lost"))
    finally:
        store.close()
