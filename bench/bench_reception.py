"""Reception: shelter allocation (East Aleppo, ~150 sites, 1,000,000 people / 2,000 sites), needs.

Goals (issue 14): East Aleppo allocation < 5 s with gap <= 1%; 1,000,000
people over 2,000 sites < 60 s and < 4 GB, gap reported; needs for 30 days x
2,000 sites < 1 s. Also East Aleppo's arrivals from 20 simulated runs under
the bundled disruption (a study): the p50 band placed and the p90 band as the
risk, both solves in the median. Generated cases are seeded: one movement hands people over
at a hub, reception sites hang off it at 10-240 road minutes, each with
collective-centre places (some with covered space that binds in the cold),
child-protection places, and every fourth site hospital beds and services
(for the 15% of households with an elderly or disabled member); places total
about 1.1 x people.
Medians of repeated runs; peak memory is the process's maximum resident size.
"""

from __future__ import annotations

import random
import resource
import statistics
import time
from dataclasses import replace
from typing import Any

import numpy as np

from corridor.adapters.agreement_file import agreement_of
from corridor.adapters.disruption_file import choose_disruption
from corridor.adapters.scenario_file import (
    load_bundled,
    load_scenario_document,
    resolve_scenario,
)
from corridor.domain.scenario import (
    Corridor,
    Group,
    Link,
    Movement,
    Population,
    Scenario,
    Site,
    SiteKind,
)
from corridor.domain.shelters import Climate, Shelter, ShelterKind, SiteReception
from corridor.reception.forecast import from_simulation
from corridor.reception.needs import Occupancy, needs
from corridor.reception.standards import bundled_standards
from corridor.services.reception import allocate_arrivals, allocate_shelters
from corridor.simulation.deal import AgreementDeal

SHARES = {
    Group.WOUNDED_STRETCHER: 0.008,
    Group.WOUNDED_SEATED: 0.015,
    Group.UNACCOMPANIED_MINORS: 0.008,
}


def generated(people: int, sites: int, seed: int = 0) -> Scenario:
    """A seeded reception case of `people` arriving at a hub and `sites` shelters around it."""
    rng = random.Random(seed)
    base = load_bundled("east-aleppo-2016")
    kinds = (
        ShelterKind("collective-centre", (Group.CIVILIANS,)),
        ShelterKind("child-protection", (Group.UNACCOMPANIED_MINORS,)),
        ShelterKind("bed-2", (Group.WOUNDED_STRETCHER, Group.WOUNDED_SEATED), care_level=2),
        ShelterKind("bed-1", (Group.WOUNDED_SEATED,), care_level=1),
    )
    weights = [rng.uniform(0.5, 1.5) for _ in range(sites)]
    scale = 1.1 * people / sum(weights)
    site_list = [
        Site("origin", "Origin", (SiteKind.ENCLAVE,)),
        Site("hub", "Hub", (SiteKind.STAGING,)),
    ]
    links = [Link("origin-hub", "origin", "hub", 30.0)]
    for i, weight in enumerate(weights):
        places = max(10, int(weight * scale))
        cold = rng.random() < 0.5
        shelters = [
            Shelter(
                "collective-centre",
                places,
                covered_m2=places * rng.uniform(3.6, 6.0) if rng.random() < 0.3 else None,
            ),
            Shelter("child-protection", max(1, int(places * 0.012))),
        ]
        if i % 4 == 0:
            shelters.append(Shelter("bed-2", max(1, int(places * 0.05))))
            shelters.append(Shelter("bed-1", max(1, int(places * 0.08))))
        site_list.append(
            Site(
                f"s{i}",
                f"Site {i}",
                (SiteKind.SHELTER,),
                reception=SiteReception(
                    tuple(shelters),
                    Climate.COLD if cold else Climate.TEMPERATE,
                    near_services=i % 4 == 0,
                ),
            )
        )
        links.append(Link(f"hub-s{i}", "hub", f"s{i}", float(rng.randint(10, 240))))
    others = {g: int(people * share) for g, share in SHARES.items()}
    counts = {Group.CIVILIANS: people - sum(others.values()), **others}
    return replace(
        base,
        id="generated",
        sites=tuple(site_list),
        links=tuple(links),
        corridors=(Corridor("c", ("origin", "hub")),),
        movements=(
            Movement("m", "origin", "c", tuple(f"s{i}" for i in range(sites)), tuple(counts)),
        ),
        populations=tuple(Population("m", "origin", g, n) for g, n in counts.items()),
        households=(replace(base.households[0], movement="m"),),
        shelter_kinds=kinds,
        fleet=(),
    )


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _allocation(scenario: Scenario, repeats: int, time_limit: float) -> dict[str, Any]:
    seconds: list[float] = []
    result = None
    for _ in range(repeats):
        started = time.perf_counter()
        result = allocate_shelters(scenario, time_limit=time_limit)
        seconds.append(time.perf_counter() - started)
    assert result is not None
    return {
        "people": scenario.people(),
        "sites": sum(1 for s in scenario.sites if s.reception),
        "median_seconds": round(statistics.median(seconds), 3),
        "gap": round(result.gap, 6),
        "proved_optimal": result.proved_optimal,
        "overcrowded": result.overcrowded_people,
        "onward_person_hours": round(result.travel_person_minutes / 60, 1),
        "lower_bound_person_hours": round(result.lower_bound / 60, 1),
        "peak_mb": round(_peak_mb(), 1),
    }


def _arrivals(runs: int, repeats: int) -> dict[str, Any]:
    """East Aleppo arrivals from `runs` runs, bundled disruption: p50 placed, p90 the risk."""
    path = resolve_scenario("east-aleppo-2016")
    document = load_scenario_document(path)
    chosen = choose_disruption(document, path, "bundled")
    scenario = chosen.scenario(document.scenario)
    deal = AgreementDeal(agreement_of(document, path).agreement)
    forecast = from_simulation(scenario, runs, 0, model=chosen.model, deal=deal)
    seconds: list[float] = []
    result = None
    for _ in range(repeats):
        started = time.perf_counter()
        result = allocate_arrivals(scenario, forecast)
        seconds.append(time.perf_counter() - started)
    assert result is not None
    return {
        "runs": runs,
        "arrivals_p50": result.arrivals,
        "arrivals_p90": result.risk_arrivals,
        "unmet_p90": result.risk.unmet_people if result.risk is not None else 0,
        "median_seconds": round(statistics.median(seconds), 3),
        "gap": round(result.allocation.gap, 6),
    }


def _needs(sites: int, days: int, repeats: int) -> dict[str, Any]:
    scenario = generated(sites * 500, sites)
    ids = tuple(s.id for s in scenario.sites if s.reception)
    rng = np.random.default_rng(0)
    occupancy = Occupancy(
        ids,
        tuple(f"day-{d}" for d in range(days)),
        np.cumsum(rng.integers(0, 50, size=(len(ids), days)), axis=1),
        "bench",
    )
    standards = bundled_standards()
    seconds = []
    for _ in range(repeats):
        started = time.perf_counter()
        result = needs(scenario, occupancy, standards)
        result.shortfalls()
        seconds.append(time.perf_counter() - started)
    return {
        "sites": len(ids),
        "days": days,
        "median_seconds": round(statistics.median(seconds), 4),
    }


def run(quick: bool = False) -> dict[str, Any]:
    bundled = load_bundled("east-aleppo-2016")
    figures: dict[str, Any] = {
        "east_aleppo_bundled": _allocation(bundled, 3 if quick else 5, 20.0),
        "east_aleppo_154_sites": _allocation(
            generated(40500, 154, seed=1), 3 if quick else 5, 20.0
        ),
        "east_aleppo_study_p50_and_p90": _arrivals(10 if quick else 20, 3 if quick else 5),
        "needs_30_days": _needs(200 if quick else 2000, 30, 5),
    }
    big_people, big_sites = (100_000, 200) if quick else (1_000_000, 2000)
    figures["large"] = _allocation(
        generated(big_people, big_sites, seed=2), 1 if quick else 3, 20.0
    )
    return figures
