"""The writer a fault campaign kills: single-event commands, each acknowledged on stdout.

`python -m bench.fault_writer URL FIRST COUNT` appends commands FIRST,
FIRST+1, ... each with the idempotency key `faults/N`, and prints `N` once
`append` has returned, which is the moment a client is told "recorded". A
command re-sent after a kill carries the same key, as a client's retry does.
"""

from __future__ import annotations

import sys

from corridor.bootstrap import open_store
from corridor.domain.events import NewEvent


def main(url: str, first: int, count: int) -> None:
    with open_store(url) as store:
        for n in range(first, first + count):
            store.append(
                [NewEvent("operation/faults", "note-recorded", {"n": n})],
                actor="faults",
                idempotency_key=f"faults/{n}",
            )
            sys.stdout.write(f"{n}\n")
            sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
