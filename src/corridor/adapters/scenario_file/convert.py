"""From the validated file model to the domain's frozen `Scenario`, and back to plain data.

The domain never sees pydantic: this is the one place the edge's shape is
mapped onto the domain's words. `scenario_to_data` is the inverse view (plain
JSON-ready data), used for `--json` output and for the content digest.
"""

from __future__ import annotations

import dataclasses
import enum
from typing import Any

from corridor.adapters.scenario_file.models import (
    ReceptionModel,
    ScenarioFile,
    SourceModel,
    SpreadModel,
)
from corridor.domain.operation import scenario_content_hash
from corridor.domain.scenario import (
    Capacity,
    Coordinates,
    Corridor,
    FleetUnit,
    Link,
    Movement,
    Organisation,
    Population,
    PrivateFlow,
    Scenario,
    Site,
    Source,
    Spread,
    VehicleKind,
)
from corridor.domain.shelters import (
    Households,
    HouseholdShare,
    Shelter,
    ShelterKind,
    SiteReception,
    Stock,
)


def _source(model: SourceModel | None) -> Source | None:
    return None if model is None else Source(text=model.text, note=model.note)


def _spread(model: SpreadModel | None) -> Spread | None:
    return None if model is None else Spread(model.low, model.mode, model.high)


def _reception(model: ReceptionModel | None) -> SiteReception | None:
    if model is None:
        return None
    return SiteReception(
        shelters=tuple(
            Shelter(
                kind=x.kind,
                places=x.places,
                expandable_to=x.expandable_to,
                lead_hours=x.lead_hours,
                covered_m2=x.covered_m2,
                source=_source(x.source),
            )
            for x in model.shelters
        ),
        climate=model.climate,
        pcode=model.pcode,
        stocks=tuple(Stock(x.item, x.quantity, x.daily, _source(x.source)) for x in model.stocks),
        source=_source(model.source),
        near_services=model.near_services,
    )


def to_domain(file: ScenarioFile) -> Scenario:
    """Build the domain value; `file` must already have passed every check."""
    sites = tuple(
        Site(
            id=s.id,
            name=s.name,
            kinds=tuple(s.kinds),
            coordinates=None
            if s.coordinates is None
            else Coordinates(s.coordinates.lat, s.coordinates.lon, s.coordinates.approximate),
            capacities=tuple(Capacity(c.group, c.places, _source(c.source)) for c in s.capacities),
            service_rate_per_hour=s.service_rate_per_hour,
            source=_source(s.source),
            reception=_reception(s.reception),
            name_ar=s.name_ar or "",
        )
        for s in file.sites
    )
    return Scenario(
        id=file.id,
        name=file.name,
        start=file.start,
        timezone=file.timezone,
        sites=sites,
        links=tuple(
            Link(
                id=x.id,
                a=x.a,
                b=x.b,
                minutes=x.minutes,
                km=x.km,
                vehicles_per_hour=x.vehicles_per_hour,
                one_way=x.one_way,
                source=_source(x.source),
            )
            for x in file.links
        ),
        corridors=tuple(Corridor(c.id, tuple(c.sites), c.name) for c in file.corridors),
        vehicle_kinds=tuple(
            VehicleKind(
                k.id,
                k.seats,
                k.stretchers,
                k.name,
                _source(k.source),
                k.standing,
                _spread(k.occupancy),
            )
            for k in file.vehicle_kinds
        ),
        fleet=tuple(
            FleetUnit(
                u.kind,
                u.depot,
                u.count,
                u.lead_minutes,
                _source(u.source),
                tuple(u.ids),
                u.lost_minutes,
                tuple(u.movements),
                tuple(u.pickups),
                u.party or "",
            )
            for u in file.fleet
        ),
        populations=tuple(
            Population(p.movement, p.site, p.group, p.count, _source(p.source))
            for p in file.populations
        ),
        movements=tuple(
            Movement(
                id=m.id,
                origin=m.origin,
                corridor=m.corridor,
                destinations=tuple(m.destinations),
                groups=tuple(m.groups),
                name=m.name,
                source=_source(m.source),
                staging=m.staging,
                name_ar=m.name_ar or "",
            )
            for m in file.movements
        ),
        organisations=tuple(
            Organisation(o.id, o.name, o.role, _source(o.source)) for o in file.organisations
        ),
        description=file.description,
        sources=tuple(Source(s.text, s.note) for s in file.sources),
        incident_kinds=tuple(file.incident_kinds),
        shelter_kinds=tuple(
            ShelterKind(k.id, tuple(k.houses), k.name, k.care_level, _source(k.source))
            for k in file.shelter_kinds
        ),
        households=tuple(
            Households(
                h.movement,
                tuple(HouseholdShare(x.people, x.share) for x in h.sizes),
                _source(h.source),
                h.near_services_share,
            )
            for h in file.households
        ),
        private_flows=tuple(
            PrivateFlow(
                movement=f.movement,
                site=f.site,
                kind=f.kind,
                vehicles=f.vehicles,
                per_hour=f.per_hour,
                lead_minutes=f.lead_minutes,
                screening=_spread(f.screening),
                groups=tuple(f.groups),
                source=_source(f.source),
            )
            for f in file.private_flows
        ),
    )


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def scenario_to_data(scenario: Scenario) -> dict[str, Any]:
    """The scenario as plain JSON-ready data (every dataclass field, enums as text)."""
    data = _plain(scenario)
    assert isinstance(data, dict)
    return data


def scenario_digest(scenario: Scenario) -> str:
    """SHA-256 (hex) of the canonical JSON of the domain value: stable content identity.

    Two files that differ only in layout, comments, anchors or key order give
    the same digest; any change of a value gives another. The hash itself is
    the domain's, so the ledger's `content_hash` and this digest are one value.
    """
    return scenario_content_hash(scenario)
