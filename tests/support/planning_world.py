"""Small scenarios built in Python for the planning tests, one knob per constraint.

`two_towns` has two movements through one shared checkpoint, buses and
ambulances at one depot, a shelter and a hospital; every figure can be set so
a test can make one constraint bind (or fail) at a time.
"""

from __future__ import annotations

from corridor.domain.scenario import (
    Capacity,
    Corridor,
    FleetUnit,
    Group,
    Link,
    Movement,
    Population,
    Scenario,
    Site,
    SiteKind,
    VehicleKind,
)


def two_towns(
    civilians: int = 300,
    stretcher: int = 4,
    seated: int = 10,
    other_civilians: int = 150,
    buses: int = 4,
    ambulances: int = 2,
    beds: int = 20,
    shelter_places: int = 1_000,
    checkpoint_rate: float | None = 12.0,
    bus_lead: float = 0.0,
) -> Scenario:
    """Town A (all groups) and Town C (civilians) evacuate through one checkpoint."""
    hospital_caps = (Capacity(Group.WOUNDED_STRETCHER, beds), Capacity(Group.WOUNDED_SEATED, beds))
    populations = [
        Population("alpha", "town-a", Group.CIVILIANS, civilians),
        Population("alpha", "town-a", Group.WOUNDED_STRETCHER, stretcher),
        Population("alpha", "town-a", Group.WOUNDED_SEATED, seated),
        Population("beta", "town-c", Group.CIVILIANS, other_civilians),
    ]
    return Scenario(
        id="two-towns",
        name="Two towns",
        start="2020-01-01T06:00",
        timezone="UTC",
        sites=(
            Site("town-a", "Town A", (SiteKind.ENCLAVE, SiteKind.ASSEMBLY)),
            Site("town-c", "Town C", (SiteKind.ENCLAVE, SiteKind.ASSEMBLY)),
            Site("depot", "Depot", (SiteKind.DEPOT,)),
            Site("gate", "Gate", (SiteKind.CHECKPOINT,), service_rate_per_hour=checkpoint_rate),
            Site("junction", "Junction", (SiteKind.STAGING,)),
            Site(
                "shelter",
                "Shelter",
                (SiteKind.SHELTER,),
                capacities=(Capacity(Group.CIVILIANS, shelter_places),),
            ),
            Site("hospital", "Hospital", (SiteKind.HOSPITAL,), capacities=hospital_caps),
        ),
        links=(
            Link("a-gate", "town-a", "gate", 15.0),
            Link("c-gate", "town-c", "gate", 20.0),
            Link("gate-junction", "gate", "junction", 10.0),
            Link("junction-shelter", "junction", "shelter", 20.0),
            Link("junction-hospital", "junction", "hospital", 25.0),
            Link("depot-a", "depot", "town-a", 10.0),
            Link("depot-c", "depot", "town-c", 25.0),
            Link("shortcut", "town-a", "junction", 5.0),
        ),
        corridors=(
            Corridor("a-road", ("town-a", "gate", "junction")),
            Corridor("c-road", ("town-c", "gate", "junction")),
        ),
        vehicle_kinds=(VehicleKind("bus", 40), VehicleKind("ambulance", 2, stretchers=1)),
        fleet=tuple(
            unit
            for unit in (
                FleetUnit("bus", "depot", buses, lead_minutes=bus_lead),
                FleetUnit("ambulance", "depot", ambulances, lead_minutes=5.0),
            )
            if unit.count > 0
        ),
        populations=tuple(p for p in populations if p.count > 0),
        movements=(
            Movement(
                "alpha",
                "town-a",
                "a-road",
                ("shelter", "hospital"),
                (Group.CIVILIANS, Group.WOUNDED_STRETCHER, Group.WOUNDED_SEATED),
            ),
            Movement("beta", "town-c", "c-road", ("shelter",), (Group.CIVILIANS,)),
        ),
    )
