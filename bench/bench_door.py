"""What the door checks cost a command: building the world, each check, a plan on a long record.

Every custody command and every request asked without a trip now runs a
door check before anything is appended. The checks are dictionary lookups,
except that planning a trip asks which vehicles are on live trips, a scan
of the record's trips; the bundled East Aleppo plan has about 1,300 trips,
so the plan is timed on a book holding that many closed trips, with and
without a world. Medians of repeated runs, in microseconds.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from corridor.adapters.agreement_file import load_agreement_ref
from corridor.domain.agreement import DispatchTrip
from corridor.domain.custody import Basis, CustodyBook, counts
from corridor.domain.door import World, check_board, check_headcount, check_incident, check_request
from corridor.domain.scenario import Group

C = Group.CIVILIANS
AT = datetime(2016, 12, 15, 8, tzinfo=UTC)


def _median_us(fn: Callable[[], Any], repeats: int, inner: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        for _ in range(inner):
            fn()
        times.append((time.perf_counter() - started) / inner)
    return round(statistics.median(times) * 1e6, 2)


def _long_book(world: World | None, trips: int) -> CustodyBook:
    """A book whose `trips` trips have all run and closed, one vehicle after another."""
    book = CustodyBook(world)
    book.register("east-aleppo", "east-aleppo", C, 40 * trips)
    for n in range(trips):
        trip, vehicle = f"t{n}", f"bus-aleppo-depot-{n % 20 + 1}"
        book.board(trip, "east-aleppo", vehicle, "east-aleppo", counts({C: 40}), Basis.COUNT, "m")
        book.depart(trip, "east-aleppo", "m")
        book.arrive(trip, "atareb", counts({C: 40}), "m")
        book.close(trip, "m")
    return book


def run(quick: bool) -> dict[str, Any]:
    repeats, inner = (3, 200) if quick else (15, 2_000)
    trips = 200 if quick else 1_300
    loaded = load_agreement_ref("east-aleppo-2016")
    scenario, kinds = loaded.scenario, loaded.agreement.incident_kinds
    world = World.of(scenario, kinds)
    load = counts({C: 40, Group.WOUNDED_SEATED: 5})
    dispatch = DispatchTrip("east-aleppo", "bus-aleppo-depot-2", AT, load)
    figures: dict[str, Any] = {
        "world_build_us": _median_us(lambda: World.of(scenario, kinds), repeats, inner // 20),
        "check_board_us": _median_us(
            lambda: check_board(world, "east-aleppo", "bus-aleppo-depot-1", "east-aleppo", load),
            repeats,
            inner,
        ),
        "check_headcount_us": _median_us(
            lambda: check_headcount(world, "east-aleppo", "ramouseh", load), repeats, inner
        ),
        "check_incident_us": _median_us(
            lambda: check_incident(world, "shooting", 4, "ramouseh", "ramouseh"), repeats, inner
        ),
        "check_dispatch_us": _median_us(lambda: check_request(world, dispatch), repeats, inner),
    }
    for name, given in (("plan_without_world_us", None), ("plan_with_world_us", world)):
        book = _long_book(given, trips)

        def plan(book: CustodyBook = book) -> None:
            book.copy().plan("next", "east-aleppo", "bus-aleppo-depot-1")

        figures[name] = _median_us(plan, repeats, max(inner // 20, 10))
    figures["closed_trips_in_the_book"] = trips
    figures["note"] = "plan timings include the book copy every live command makes"
    return figures
