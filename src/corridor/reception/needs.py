"""Sphere needs per reception site per day, from occupancy, and the day each shortfall starts.

need[site, day, supply] = occupancy[site, day] x the standard's amount for the
site's climate (rounded up for things counted whole: latrines, blankets,
kits). Supplies are of two sorts (`Standard.consumed`):
- consumed (water, food): the stock at the start plus each day's delivery,
  less what earlier days used up, must cover the day's need;
- held (covered space, latrines, blankets, winter kits): the stock plus the
  deliveries so far must cover the people present; a site's covered space
  is its shelters' declared `covered_m2` plus any stock of it.
A supply a site declares nothing of is reported as undeclared, never as
zero: a shortfall is only claimed against a declared stock. Whole arrays
(numpy), so 2,000 sites x 30 days take milliseconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from corridor.domain.scenario import Scenario
from corridor.domain.shelters import Climate, Supply
from corridor.reception.standards import Standards


@dataclass(frozen=True)
class Occupancy:
    """People present at each site at the end of each calendar day: people[site, day]."""

    sites: tuple[str, ...]
    days: tuple[str, ...]
    """ISO calendar dates, local to the scenario."""
    people: np.ndarray
    source: str


@dataclass(frozen=True)
class Shortfall:
    """A declared stock that stops covering a site's need, from `day` on."""

    site: str
    supply: Supply
    day: str
    need: float
    available: float

    @property
    def missing(self) -> float:
        return self.need - self.available


@dataclass(frozen=True)
class Needs:
    """need, available and short per [site, day, supply]; available is NaN when undeclared."""

    occupancy: Occupancy
    supplies: tuple[Supply, ...]
    need: np.ndarray
    available: np.ndarray
    short: np.ndarray

    def shortfalls(self) -> tuple[Shortfall, ...]:
        """For each site and supply that runs short, the first day and the figures that day."""
        found = self.short > 0
        first = np.argmax(found, axis=1)  # [site, supply]
        any_short = found.any(axis=1)
        out: list[Shortfall] = []
        for site, supply in zip(*np.nonzero(any_short), strict=True):
            day = int(first[site, supply])
            out.append(
                Shortfall(
                    self.occupancy.sites[site],
                    self.supplies[supply],
                    self.occupancy.days[day],
                    float(self.need[site, day, supply]),
                    float(self.available[site, day, supply]),
                )
            )
        return tuple(out)

    def undeclared(self) -> tuple[tuple[str, Supply], ...]:
        """(site, supply) pairs with people to serve but no declared stock."""
        blank = np.isnan(self.available[:, 0, :]) & (self.need.sum(axis=1) > 0)
        return tuple(
            (self.occupancy.sites[i], self.supplies[j])
            for i, j in zip(*np.nonzero(blank), strict=True)
        )


def _stocks(
    scenario: Scenario, sites: Sequence[str], supplies: Sequence[Supply]
) -> tuple[np.ndarray, np.ndarray]:
    """Stock at the start and daily delivery per [site, supply]; NaN where undeclared."""
    quantity = np.full((len(sites), len(supplies)), np.nan)
    daily = np.zeros((len(sites), len(supplies)))
    column = {s: j for j, s in enumerate(supplies)}
    by_id = {s.id: s for s in scenario.sites}
    for i, site_id in enumerate(sites):
        site = by_id.get(site_id)
        if site is None or site.reception is None:
            continue
        area = [s.covered_m2 for s in site.reception.shelters if s.covered_m2 is not None]
        if area and Supply.COVERED_M2 in column:
            quantity[i, column[Supply.COVERED_M2]] = sum(area)
        for stock in site.reception.stocks:
            j = column[stock.item]
            quantity[i, j] = np.nan_to_num(quantity[i, j]) + stock.quantity
            daily[i, j] += stock.daily
    return quantity, daily


def needs(scenario: Scenario, occupancy: Occupancy, standards: Standards) -> Needs:
    """Every site's need of every supply on every day, against its declared stocks."""
    supplies = tuple(s.supply for s in standards.standards)
    by_id = {s.id: s for s in scenario.sites}
    cold = np.array(
        [
            (site := by_id.get(s)) is not None
            and site.reception is not None
            and site.reception.climate is Climate.COLD
            for s in occupancy.sites
        ],
        dtype=bool,
    )
    warm_rate = np.array([s.per_person for s in standards.standards])
    cold_rate = np.array([s.cold for s in standards.standards])
    rate = np.where(cold[:, None], cold_rate[None, :], warm_rate[None, :])  # [site, supply]
    people = occupancy.people.astype(np.float64)
    need = people[:, :, None] * rate[:, None, :]
    whole = np.array([s.whole for s in standards.standards], dtype=bool)
    need[:, :, whole] = np.ceil(need[:, :, whole] - 1e-9)
    quantity, daily = _stocks(scenario, occupancy.sites, supplies)
    n_days = people.shape[1]
    delivered = daily[:, None, :] * np.arange(n_days)[None, :, None]  # after day 0
    available = quantity[:, None, :] + delivered
    consumed = np.array([s.consumed for s in standards.standards], dtype=bool)
    if consumed.any():
        # What is left each morning: yesterday's left-over (never below zero)
        # plus today's delivery.
        left = quantity[:, consumed].copy()
        out = np.empty((people.shape[0], n_days, int(consumed.sum())))
        for day in range(n_days):
            if day > 0:
                left = np.maximum(0.0, left - need[:, day - 1, consumed]) + daily[:, consumed]
            out[:, day, :] = left
        available[:, :, consumed] = out
    short = np.where(np.isnan(available), 0.0, np.maximum(0.0, need - available))
    return Needs(occupancy, supplies, need, available, short)
