"""Occupancy per reception site per calendar day: from an allocation or an arrivals forecast.

An allocation says where everyone stays once all have arrived, so its
occupancy is the same every day (the planning case: stock for everyone from
day one). A forecast says when they arrive: people present at the end of a day
are those arrived by then (nobody is counted as leaving).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np

from corridor.errors import InvalidInput
from corridor.reception.allocation import Allocation
from corridor.reception.forecast import Forecast, by_day
from corridor.reception.needs import Occupancy

MAX_DAYS = 366


def _days(days: int) -> None:
    if not 1 <= days <= MAX_DAYS:
        raise InvalidInput(f"days must be between 1 and {MAX_DAYS}, found {days}")


def from_allocation(allocation: Allocation, start: str, days: int) -> Occupancy:
    """Everyone where the allocation puts them, on every day from the start's date."""
    _days(days)
    sites = tuple(dict.fromkeys(u.place.site for u in allocation.uses))
    index = {s: i for i, s in enumerate(sites)}
    people = np.zeros((len(sites), days), dtype=np.int64)
    for use in allocation.uses:
        people[index[use.place.site], :] += use.people
    first = datetime.fromisoformat(start).date()
    dates = tuple((first + timedelta(days=d)).isoformat() for d in range(days))
    return Occupancy(
        sites, dates, people, "allocation of the scenario's whole population, from day one"
    )


def from_forecast(forecast: Forecast, days: int, band: str = "p50") -> Occupancy:
    """People arrived by the end of each calendar day, in one band of the forecast."""
    _days(days)
    dates, people = by_day(forecast, days, band)
    return Occupancy(forecast.sites, dates, people, f"{forecast.source}, {band}")
