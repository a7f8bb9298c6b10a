"""A small two-sided world and deal, built in code, for the agreement engine's tests."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from corridor.domain.agreement import (
    Agreement,
    Cap,
    PacedLink,
    Priority,
    Stage,
    StagedLink,
    Suspension,
    Term,
    Window,
)
from corridor.domain.scenario import (
    Corridor,
    Group,
    Movement,
    Organisation,
    Population,
    Role,
    Scenario,
    Site,
    SiteKind,
)

UTC2 = timezone(timedelta(hours=2))


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A time in December 2016, Aleppo local (UTC+2)."""
    return datetime(2016, 12, day, hour, minute, tzinfo=UTC2)


def world(north: int = 1000, south: int = 200, wounded: int = 20) -> Scenario:
    """Two enclaves, north and south, each with one corridor through one checkpoint."""
    sites = (
        Site("north", "North", (SiteKind.ENCLAVE,)),
        Site("south", "South", (SiteKind.ENCLAVE,)),
        Site("gate", "Gate", (SiteKind.CHECKPOINT,)),
        Site("camp", "Camp", (SiteKind.SHELTER,)),
    )
    return Scenario(
        id="two-sides",
        name="Two sides",
        start="2016-12-15T06:00",
        timezone="Etc/GMT-2",
        sites=sites,
        links=(),
        corridors=(
            Corridor("north-road", ("north", "gate", "camp")),
            Corridor("south-road", ("south", "gate", "camp")),
        ),
        vehicle_kinds=(),
        fleet=(),
        populations=(
            Population("north", "north", Group.CIVILIANS, north),
            Population("north", "north", Group.WOUNDED_SEATED, wounded),
            Population("south", "south", Group.CIVILIANS, south),
        ),
        movements=(
            Movement(
                "north",
                "north",
                "north-road",
                ("camp",),
                (Group.CIVILIANS, Group.WOUNDED_SEATED, Group.FIGHTERS),
            ),
            Movement("south", "south", "south-road", ("camp",), (Group.CIVILIANS,)),
        ),
        organisations=(
            Organisation("icrc", "ICRC", Role.MONITOR),
            Organisation("un", "UN", Role.MONITOR),
            Organisation("russia", "Russia", Role.GUARANTOR),
            Organisation("turkey", "Turkey", Role.GUARANTOR),
            Organisation("government", "Government", Role.PARTY),
        ),
    )


def deal(*terms: Term) -> Agreement:
    return Agreement(
        id="deal",
        name="Deal",
        version_note="test",
        timezone="Etc/GMT-2",
        terms=terms,
        parties=("government",),
        guarantors=("russia", "turkey"),
        monitors=("icrc", "un"),
    )


def window(term_id: str = "T1", movements: tuple[str, ...] = ("north", "south")) -> Window:
    return Window(
        term_id,
        "Moves 15-20 Dec, 06:00-18:00.",
        movements,
        date(2016, 12, 15),
        date(2016, 12, 20),
        6 * 60,
        18 * 60,
    )


def staged(term_id: str = "T2") -> StagedLink:
    return StagedLink(
        term_id,
        "North in two stages, each after the matching southern stage.",
        "north",
        "south",
        "icrc",
        (Stage(500, 100), Stage(520, 100)),
    )


def suspension(term_id: str = "T3", needed: int = 2) -> Suspension:
    return Suspension(
        term_id,
        "Shooting halts both until Russia and Turkey resume.",
        ("north", "south"),
        ("russia", "turkey"),
        needed,
        ("shooting",),
        3,
    )


def paced(term_id: str = "T4") -> PacedLink:
    return PacedLink(
        term_id, "North at most 5 for each southern person plus 50.", "north", "south", 5.0, 50
    )


def cap(term_id: str = "T5", limit: int = 10) -> Cap:
    return Cap(term_id, "At most 10 fighters.", "north", limit, Group.FIGHTERS)


def priority(term_id: str = "T6") -> Priority:
    return Priority(term_id, "Wounded first.", ("north",), (Group.WOUNDED_SEATED,), True)
