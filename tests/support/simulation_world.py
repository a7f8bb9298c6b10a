"""Small scenarios built in Python for the simulation tests.

`aleppo_like` follows the shape of the East Aleppo operation (two linked
movements, a screening checkpoint on each corridor, buses and ambulances)
with figures from shared/data/east-aleppo-2016.md, scaled by `people`;
`linked_deal` halts both of its movements on a verified violation.
"""

from __future__ import annotations

from corridor.domain.agreement import Agreement, Suspension
from corridor.domain.scenario import (
    Capacity,
    Corridor,
    FleetUnit,
    Group,
    Link,
    Movement,
    Organisation,
    Population,
    Role,
    Scenario,
    Site,
    SiteKind,
    VehicleKind,
)


def aleppo_like(
    people: int = 3_500,
    buses: int = 20,
    ambulances: int = 13,
    linked_people: int = 1_300,
    ramouseh_rate: float = 20.0,
) -> Scenario:
    """Two movements (east-aleppo, foua-kefraya), each through its own checkpoint."""
    wounded = max(1, people // 50)
    fighters = people // 6
    civilians = people - wounded - fighters
    return Scenario(
        id="aleppo-like",
        name="Aleppo-like test operation",
        start="2016-12-15T05:00:00",
        timezone="Asia/Damascus",
        sites=(
            Site("east-aleppo", "East Aleppo", (SiteKind.ENCLAVE, SiteKind.ASSEMBLY)),
            Site(
                "ramouseh", "Ramouseh", (SiteKind.CHECKPOINT,), service_rate_per_hour=ramouseh_rate
            ),
            Site("rashidin", "al-Rashidin", (SiteKind.STAGING,)),
            Site(
                "atareb",
                "al-Atarib",
                (SiteKind.SHELTER, SiteKind.HOSPITAL),
                capacities=(
                    Capacity(Group.CIVILIANS, 100_000),
                    Capacity(Group.FIGHTERS, 100_000),
                    Capacity(Group.WOUNDED_STRETCHER, 1_000),
                    Capacity(Group.WOUNDED_SEATED, 1_000),
                ),
            ),
            Site("foua", "al-Fu'ah", (SiteKind.ENCLAVE, SiteKind.ASSEMBLY)),
            Site("amiriyah", "Amiriyah crossing", (SiteKind.CROSSING,), service_rate_per_hour=30.0),
            Site(
                "jibreen",
                "Jibreen",
                (SiteKind.SHELTER,),
                capacities=(Capacity(Group.CIVILIANS, 100_000),),
            ),
            Site("depot", "Depot", (SiteKind.DEPOT,)),
        ),
        links=(
            Link("l1", "east-aleppo", "ramouseh", 20.0),
            Link("l2", "ramouseh", "rashidin", 25.0),
            Link("l3", "rashidin", "atareb", 40.0),
            Link("l4", "foua", "amiriyah", 60.0),
            Link("l5", "amiriyah", "jibreen", 50.0),
            Link("l6", "depot", "rashidin", 15.0),
            Link("l7", "atareb", "foua", 70.0),
            Link("l8", "jibreen", "east-aleppo", 30.0),
        ),
        corridors=(
            Corridor("ramouseh-road", ("east-aleppo", "ramouseh", "rashidin")),
            Corridor("foua-road", ("foua", "amiriyah", "jibreen")),
        ),
        vehicle_kinds=(VehicleKind("bus", 60), VehicleKind("ambulance", 2, stretchers=2)),
        fleet=(FleetUnit("bus", "depot", buses), FleetUnit("ambulance", "depot", ambulances)),
        populations=(
            Population("east-aleppo", "east-aleppo", Group.CIVILIANS, civilians),
            Population("east-aleppo", "east-aleppo", Group.FIGHTERS, fighters),
            Population("east-aleppo", "east-aleppo", Group.WOUNDED_STRETCHER, wounded),
            Population("foua-kefraya", "foua", Group.CIVILIANS, linked_people),
        ),
        movements=(
            Movement(
                "east-aleppo",
                "east-aleppo",
                "ramouseh-road",
                ("atareb",),
                (Group.CIVILIANS, Group.FIGHTERS, Group.WOUNDED_STRETCHER),
            ),
            Movement("foua-kefraya", "foua", "foua-road", ("jibreen",), (Group.CIVILIANS,)),
        ),
        organisations=(
            Organisation("russia", "Russia", Role.GUARANTOR),
            Organisation("turkey", "Turkey", Role.GUARANTOR),
            Organisation("icrc", "ICRC", Role.MONITOR),
        ),
    )


def one_road(people: int = 10, seats: int = 10, buses: int = 1, minutes: float = 30.0) -> Scenario:
    """One movement, one road with no checkpoint, buses parked at the origin."""
    return Scenario(
        id="one-road",
        name="One road",
        start="2016-12-15T05:00:00",
        timezone="Asia/Damascus",
        sites=(
            Site("town", "Town", (SiteKind.ENCLAVE, SiteKind.ASSEMBLY, SiteKind.DEPOT)),
            Site(
                "camp",
                "Camp",
                (SiteKind.SHELTER,),
                capacities=(Capacity(Group.CIVILIANS, 100_000),),
            ),
        ),
        links=(Link("road", "town", "camp", minutes),),
        corridors=(Corridor("road", ("town", "camp")),),
        vehicle_kinds=(VehicleKind("bus", seats),),
        fleet=(FleetUnit("bus", "town", buses),),
        populations=(Population("out", "town", Group.CIVILIANS, people),),
        movements=(Movement("out", "town", "road", ("camp",), (Group.CIVILIANS,)),),
    )


def linked_deal() -> Agreement:
    """A verified violation on either corridor of `aleppo_like` halts both evacuations."""
    suspension = Suspension(
        id="T3",
        text="A verified violation on either corridor halts both evacuations.",
        movements=("east-aleppo", "foua-kefraya"),
        lifted_by=("russia", "turkey"),
        needed=2,
        min_severity=2,
    )
    return Agreement(
        id="deal",
        name="Linked evacuations",
        version_note="test",
        timezone="Asia/Damascus",
        terms=(suspension,),
        guarantors=("russia", "turkey"),
        monitors=("icrc",),
    )
