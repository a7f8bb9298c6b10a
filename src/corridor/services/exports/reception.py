"""Reception in the exports: who is sheltered where, who is on the way, and what they need.

The figures come from the live ledger forecast (`corridor.reception.live`),
read from the same record as every other figure of the export: people
checked in at each reception site by the end of the day shown (a trip's
arrival count there), plus trips still on the road at the day they are
expected. Occupancy per site and day is what has arrived by each day's end
(nobody is counted as leaving); Sphere needs are occupancy x the bundled
standards, against the stocks the scenario declares, as `corridor reception
needs` computes them.

Roles, as the reception API answers them: coordinators, monitors and
reception desks see each site; liaisons and observers get totals over all
sites, never where people are sheltered.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np

from corridor.domain.scenario import Group, Scenario
from corridor.protection.access import AccessRole, sees_personal_data
from corridor.reception.forecast import Forecast
from corridor.reception.live import check_ins, from_ledger
from corridor.reception.needs import Needs, needs
from corridor.reception.occupancy import from_forecast
from corridor.reception.standards import Standards, bundled_standards
from corridor.services.exports.reading import OperationRead

DAYS = 3
"""The day shown and the two after it: long enough for every trip on the road to arrive."""


@dataclass(frozen=True)
class SiteDay:
    """One reception site (or all of them) on one calendar day."""

    site: str
    """Site id, or "" for the total over all sites."""
    name: str
    pcode: str
    """The site's own P-code from the scenario (finest level known), "" for totals."""
    day: str
    places: int
    checked_in: int
    """People counted on arrival by the end of the day shown."""
    expected: int
    """People on trips on the road expected on this day."""
    present: int

    @property
    def over_capacity(self) -> int:
        return max(0, self.present - self.places)

    @property
    def occupancy_pct(self) -> float | None:
        return round(100.0 * self.present / self.places, 1) if self.places else None


@dataclass(frozen=True)
class SupplyDay:
    """One supply at one reception site (or all of them) on one calendar day."""

    site: str
    name: str
    day: str
    supply: str
    need: float
    available: float | None
    """None when no stock of it is declared (at any of the sites summed)."""
    short: float
    short_from: str
    """The first day a declared stock falls short (of the sites summed), "" if never."""


@dataclass(frozen=True)
class Reception:
    """Reception figures of an export, as one role may see them."""

    source: str
    """Where the figures come from, and as of when (local time)."""
    detail: bool
    """Site by site (neutral roles) or totals over all sites."""
    sites: tuple[SiteDay, ...]
    supplies: tuple[SupplyDay, ...]
    undeclared: int
    """(site, supply) pairs with people to serve and no stock declared."""


def forecast_of(read: OperationRead) -> Forecast:
    """The live ledger forecast as of the end of the day shown (or the generation time)."""
    zone = ZoneInfo(read.scenario.timezone)
    moment = datetime.fromisoformat(read.provenance.as_of.replace("Z", "+00:00"))
    now = moment.astimezone(zone).replace(tzinfo=None).isoformat(timespec="minutes")
    return from_ledger(read.scenario, read.record.book.trips.values(), now)


def has_reception(scenario: Scenario) -> bool:
    return any(site.reception is not None for site in scenario.sites)


def reception_of(
    read: OperationRead, role: AccessRole, standards: Standards | None = None
) -> Reception | None:
    """The reception figures of `read` as `role` may see them; None without reception sites."""
    scenario = read.scenario
    if not has_reception(scenario):
        return None
    forecast = forecast_of(read)
    occupancy = from_forecast(forecast, DAYS)
    result = needs(scenario, occupancy, standards or bundled_standards())
    arrived = check_ins(scenario, read.record.book.trips.values())
    sites = _site_days(scenario, forecast, result, arrived)
    supplies = _supply_days(scenario, result)
    detail = sees_personal_data(role)
    if not detail:
        sites, supplies = _site_totals(sites), _supply_totals(supplies)
    return Reception(
        source=f"{forecast.source} forecast from {forecast.start} ({scenario.timezone})",
        detail=detail,
        sites=tuple(sites),
        supplies=tuple(supplies),
        undeclared=len(result.undeclared()),
    )


def _places(scenario: Scenario, site: str) -> int:
    found = scenario.site(site)
    if found.reception is not None:
        return sum(s.places for s in found.reception.shelters)
    return sum(c.places for c in found.capacities)


def _site_days(
    scenario: Scenario,
    forecast: Forecast,
    result: Needs,
    arrived: dict[str, dict[Group, int]],
) -> list[SiteDay]:
    occupancy = result.occupancy
    # Expected people per day: the day's occupancy less the day before's, less
    # check-ins on the first day (they are already there).
    rows = []
    for i, site in enumerate(occupancy.sites):
        found = scenario.site(site)
        checked = sum(arrived.get(site, {}).values())
        before = checked
        for d, day in enumerate(occupancy.days):
            present = int(occupancy.people[i, d])
            rows.append(
                SiteDay(
                    site=site,
                    name=found.name,
                    pcode=(found.reception.pcode or "") if found.reception else "",
                    day=day,
                    places=_places(scenario, site),
                    checked_in=checked,
                    expected=present - before,
                    present=present,
                )
            )
            before = present
    return rows


def _supply_days(scenario: Scenario, result: Needs) -> list[SupplyDay]:
    occupancy = result.occupancy
    first: dict[tuple[str, str], str] = {
        (s.site, str(s.supply)): s.day for s in result.shortfalls()
    }
    rows = []
    for i, site in enumerate(occupancy.sites):
        name = scenario.site(site).name
        for d, day in enumerate(occupancy.days):
            for j, supply in enumerate(result.supplies):
                available = float(result.available[i, d, j])
                rows.append(
                    SupplyDay(
                        site=site,
                        name=name,
                        day=day,
                        supply=str(supply),
                        need=float(result.need[i, d, j]),
                        available=None if math.isnan(available) else available,
                        short=float(result.short[i, d, j]),
                        short_from=first.get((site, str(supply)), ""),
                    )
                )
    return rows


ALL_SITES = "all reception sites"


def _site_totals(rows: list[SiteDay]) -> list[SiteDay]:
    days = list(dict.fromkeys(r.day for r in rows))
    return [
        SiteDay(
            site="",
            name=ALL_SITES,
            pcode="",
            day=day,
            places=sum(r.places for r in rows if r.day == day),
            checked_in=sum(r.checked_in for r in rows if r.day == day),
            expected=sum(r.expected for r in rows if r.day == day),
            present=sum(r.present for r in rows if r.day == day),
        )
        for day in days
    ]


def _supply_totals(rows: list[SupplyDay]) -> list[SupplyDay]:
    keys = list(dict.fromkeys((r.day, r.supply) for r in rows))
    out = []
    for day, supply in keys:
        mine = [r for r in rows if r.day == day and r.supply == supply]
        declared = [r.available for r in mine if r.available is not None]
        starts = sorted(r.short_from for r in mine if r.short_from)
        out.append(
            SupplyDay(
                site="",
                name=ALL_SITES,
                day=day,
                supply=supply,
                need=float(np.sum([r.need for r in mine])),
                available=float(sum(declared)) if declared else None,
                short=float(np.sum([r.short for r in mine])),
                short_from=starts[0] if starts else "",
            )
        )
    return out
