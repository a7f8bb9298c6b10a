"""Reception from the ledger: check-ins at each shelter and the arrivals still on the road.

Reads one operation's custody events from a ledger store, replays them into
the headcount book, and hands its trips to `reception.live`. Nothing is
appended: these are queries. The clock is injected, and the forecast's hour 0
is its reading in the scenario's local time.
"""

from __future__ import annotations

from dataclasses import replace
from zoneinfo import ZoneInfo

from corridor.domain.clock import Clock
from corridor.domain.custody import CustodyBook
from corridor.domain.custody_codec import EVENT_TYPES, from_payload
from corridor.domain.operation import operation_stream
from corridor.domain.scenario import Group, Scenario
from corridor.errors import NotFound
from corridor.reception.forecast import Forecast
from corridor.reception.live import check_ins, from_ledger
from corridor.services.ports import LedgerStore


def custody_book(store: LedgerStore, operation: str) -> CustodyBook:
    """The operation's headcount book, replayed from its stream; NotFound when it has none."""
    events = list(store.read(stream=operation_stream(operation)))
    if not events:
        raise NotFound(f"no operation {operation!r} in {store.description}")
    return CustodyBook.replay(
        from_payload(e.type, e.data()) for e in events if e.type in EVENT_TYPES
    )


def shelter_check_ins(
    store: LedgerStore, operation: str, scenario: Scenario
) -> dict[str, dict[Group, int]]:
    """People counted on arrival at each reception site of the operation, by group."""
    return check_ins(scenario, custody_book(store, operation).trips.values())


def forecast_from_ledger(
    store: LedgerStore, operation: str, scenario: Scenario, clock: Clock
) -> Forecast:
    """Arrived so far, plus trips on the road at their expected hour, from now."""
    now = clock.now().astimezone(ZoneInfo(scenario.timezone)).replace(tzinfo=None)
    book = custody_book(store, operation)
    moment = now.isoformat(timespec="minutes")
    forecast = from_ledger(scenario, book.trips.values(), moment)
    return replace(forecast, source=f"ledger, operation {operation}, as of {moment}")
