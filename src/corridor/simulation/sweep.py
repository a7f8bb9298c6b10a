"""Sweeps: the same study over a grid of changed parameters.

A variation is written `PATH=V1,V2,...`; the grid is every combination, in the
order given. Each cell reuses the study's seeds (common random numbers), so a
difference between cells comes from the parameter, not from luck. Paths:

- `fleet.KIND=N`: N vehicles of kind KIND (a kind id, or its plural with s/es),
  shared among that kind's depots in proportion to their counts;
- `checkpoint.SITE.rate=R`: SITE screens R vehicles per hour on average;
- `incidents.CORRIDOR.rate=R`: R incidents per day on CORRIDOR (0 for none);
- `breakdowns.per_trip=P`: probability a loaded trip breaks down;
- `handling.load_per_person=M`: minutes of loading per person.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from corridor.domain.scenario import FleetUnit, Scenario
from corridor.errors import InvalidInput
from corridor.simulation.disruption import DisruptionModel
from corridor.simulation.distributions import Duration

PATHS = (
    "fleet.KIND",
    "checkpoint.SITE.rate",
    "incidents.CORRIDOR.rate",
    "breakdowns.per_trip",
    "handling.load_per_person",
)


@dataclass(frozen=True)
class Variation:
    """One parameter path and the values it takes."""

    path: str
    values: tuple[float, ...]


def parse_variation(text: str) -> Variation:
    """`fleet.bus=20,40,80` -> Variation("fleet.bus", (20, 40, 80))."""
    path, sep, raw = text.partition("=")
    path = path.strip()
    if not sep or not path or not raw.strip():
        raise InvalidInput(f"--vary {text!r}: expected PATH=V1,V2,... (paths: {', '.join(PATHS)})")
    values: list[float] = []
    for item in raw.split(","):
        try:
            value = float(item)
        except ValueError:
            raise InvalidInput(f"--vary {path}: {item.strip()!r} is not a number") from None
        if not math.isfinite(value) or value < 0:
            raise InvalidInput(f"--vary {path}: values must be finite and at least 0, got {item}")
        values.append(value)
    return Variation(path, tuple(values))


def grid(variations: Sequence[Variation]) -> list[tuple[tuple[str, float], ...]]:
    """Every combination of the variations' values, first variation slowest."""
    axes = [[(v.path, value) for value in v.values] for v in variations]
    return [tuple(cell) for cell in itertools.product(*axes)]


def apply(
    scenario: Scenario, model: DisruptionModel, path: str, value: float
) -> tuple[Scenario, DisruptionModel]:
    """The scenario and model with one parameter set; InvalidInput for an unknown path."""
    parts = path.split(".")
    head = parts[0]
    if head == "fleet" and len(parts) == 2:
        return _fleet(scenario, parts[1], value), model
    if head == "checkpoint" and len(parts) == 3 and parts[2] == "rate":
        return _checkpoint(scenario, model, parts[1], value)
    if head == "incidents" and len(parts) == 3 and parts[2] == "rate":
        if parts[1] not in {c.id for c in scenario.corridors}:
            raise InvalidInput(f"--vary {path}: no corridor {parts[1]!r} in {scenario.id}")
        if value == 0:
            kept = tuple(r for r in model.incidents if r.corridor != parts[1])
            return scenario, replace(model, incidents=kept)
        return scenario, model.with_incident_rate(parts[1], value)
    if path == "breakdowns.per_trip":
        if value > 1:
            raise InvalidInput(f"--vary {path}: a probability is at most 1, got {value:g}")
        return scenario, replace(model, breakdowns=replace(model.breakdowns, per_trip=value))
    if path == "handling.load_per_person":
        return scenario, replace(model, handling=replace(model.handling, load_per_person=value))
    raise InvalidInput(f"--vary {path}: unknown parameter (paths: {', '.join(PATHS)})")


def apply_cell(
    scenario: Scenario, model: DisruptionModel, cell: Sequence[tuple[str, float]]
) -> tuple[Scenario, DisruptionModel]:
    for path, value in cell:
        scenario, model = apply(scenario, model, path, value)
    return scenario, model


def _kind(scenario: Scenario, name: str) -> str:
    ids = [k.id for k in scenario.vehicle_kinds]
    for candidate in (name, name.removesuffix("es"), name.removesuffix("s")):
        if candidate in ids:
            return candidate
    raise InvalidInput(f"--vary fleet.{name}: no vehicle kind {name!r} (kinds: {', '.join(ids)})")


def _fleet(scenario: Scenario, name: str, value: float) -> Scenario:
    kind = _kind(scenario, name)
    if value != int(value):
        raise InvalidInput(f"--vary fleet.{name}: a vehicle count is whole, got {value:g}")
    wanted = int(value)
    positions = [i for i, u in enumerate(scenario.fleet) if u.kind == kind]
    if not positions:
        unit = FleetUnit(kind, _a_depot(scenario), wanted)
        return replace(scenario, fleet=(*scenario.fleet, unit))
    weights = [scenario.fleet[i].count or 1 for i in positions]
    # Largest remainder keeps the depots' shares and the exact total.
    shares = [w * wanted / sum(weights) for w in weights]
    counts = [int(s) for s in shares]
    order = sorted(range(len(positions)), key=lambda j: (-(shares[j] - counts[j]), j))
    for j in order[: wanted - sum(counts)]:
        counts[j] += 1
    fleet = list(scenario.fleet)
    for j, i in enumerate(positions):
        fleet[i] = replace(fleet[i], count=counts[j])
    return replace(scenario, fleet=tuple(fleet))


def _a_depot(scenario: Scenario) -> str:
    return scenario.fleet[0].depot if scenario.fleet else scenario.sites[0].id


def _checkpoint(
    scenario: Scenario, model: DisruptionModel, site_id: str, rate: float
) -> tuple[Scenario, DisruptionModel]:
    if site_id not in {s.id for s in scenario.sites}:
        raise InvalidInput(f"--vary checkpoint.{site_id}.rate: no site {site_id!r}")
    if rate <= 0:
        raise InvalidInput(f"--vary checkpoint.{site_id}.rate: must be more than 0 vehicles/hour")
    sites = tuple(
        replace(s, service_rate_per_hour=rate) if s.id == site_id else s for s in scenario.sites
    )
    given = model.screening_at(site_id)
    if given is not None and given.expected() > 0:
        model = model.with_screening(site_id, given.scaled((60.0 / rate) / given.expected()))
    elif given is not None:
        model = model.with_screening(site_id, Duration.exponential(60.0 / rate))
    return replace(scenario, sites=sites), model
