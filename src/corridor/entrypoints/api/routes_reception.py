"""Reception: check-ins at shelters, occupancy against capacity, Sphere needs and shortfalls.

Both read the operation's scenario and answer through the same handlers and
views as `corridor reception`. Coordinators and reception desks see every
site; liaisons and observers get aggregates only (totals over all sites), as
they see figures but not the detail of where people are sheltered.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from corridor.adapters.scenario_file.loader import load_bundled
from corridor.domain.scenario import Scenario
from corridor.entrypoints.api.auth import Caller, Context, shown
from corridor.entrypoints.api.context import ApiContext
from corridor.entrypoints.api.errors import ERROR_RESPONSES
from corridor.entrypoints.api.models import ID_PATTERN
from corridor.protection.access import AccessRole, Permission
from corridor.reception.live import check_ins as count_check_ins
from corridor.services import reception as handlers
from corridor.services.live import OperationRecord

router = APIRouter(responses=ERROR_RESPONSES, tags=["reception"])

OperationId = Annotated[str, Path(pattern=ID_PATTERN, max_length=100)]
DETAIL = frozenset({AccessRole.COORDINATOR, AccessRole.RECEPTION, AccessRole.MONITOR})
"""Roles that see reception figures site by site; the others get totals."""


PLANNED = (
    "planned: the scenario's whole population allocated to shelters, households whole; "
    "people arrived so far are at /reception/check-ins"
)
"""What the occupancy answers, so that nobody reads a plan as a count of people present."""


@lru_cache(maxsize=8)
def _scenario(name: str) -> Scenario:
    return load_bundled(name)


@lru_cache(maxsize=8)
def _occupancy(name: str) -> dict[str, Any]:
    scenario = _scenario(name)
    return handlers.allocation_view(scenario, handlers.allocate_shelters(scenario))


@lru_cache(maxsize=32)
def _needs(name: str, days: int) -> dict[str, Any]:
    return handlers.needs_view(handlers.shelter_needs(_scenario(name), days=days))


def _scenario_of(ctx: ApiContext, operation: str) -> str:
    name: str = ctx.live.read(operation, _name)
    return name


def _name(record: OperationRecord) -> str:
    return record.scenario


@router.get("/operations/{operation}/reception/occupancy")
def occupancy(operation: OperationId, who: Caller, ctx: Context) -> Any:
    """Where everyone is sheltered: people against places per site (totals for liaisons)."""
    who.require(Permission.READ, operation)
    view = {**_occupancy(_scenario_of(ctx, operation)), "basis": PLANNED}
    if who.role not in DETAIL:
        view = {
            "basis": PLANNED,
            "scenario": view["scenario"],
            "placed": view["placed"],
            "unmet": view["unmet"],
            "overcrowded": view["overcrowded"],
            "sites": len(view["sites"]),
            "places": sum(s["places"] for s in view["sites"]),
        }
    return shown(who, view)


@router.get("/operations/{operation}/reception/needs")
def needs(
    operation: OperationId,
    who: Caller,
    ctx: Context,
    days: Annotated[int, Query(ge=1, le=90, description="Days from the start's date.")] = 7,
) -> Any:
    """Sphere needs per site and day and each shortfall's first day (totals for liaisons)."""
    who.require(Permission.READ, operation)
    view = _needs(_scenario_of(ctx, operation), days)
    if who.role not in DETAIL:
        totals: dict[str, dict[str, float]] = {}
        for row in view["days"]:
            day = totals.setdefault(row["day"], {})
            for supply, amount in row["need"].items():
                day[supply] = day.get(supply, 0.0) + amount
        view = {
            "occupancy_source": view["occupancy_source"],
            "need_by_day": [{"day": d, "need": n} for d, n in totals.items()],
            "shortfalls": len(view["shortfalls"]),
        }
    return shown(who, view)


@router.get("/operations/{operation}/reception/check-ins")
def check_ins(operation: OperationId, who: Caller, ctx: Context) -> Any:
    """People counted on arrival at each shelter, by group, against its places."""
    who.require(Permission.READ, operation)

    def view(record: OperationRecord) -> Any:
        scenario = _scenario(record.scenario)
        arrived = count_check_ins(scenario, record.book.trips.values())
        return [
            {
                "site": site,
                "checked_in": {g.value: n for g, n in sorted(by_group.items())},
                "places": {g.value: scenario.site(site).capacity_for(g) for g in by_group},
            }
            for site, by_group in sorted(arrived.items())
        ]

    sites = ctx.live.read(operation, view)
    if who.role not in DETAIL:
        total = sum(n for s in sites for n in s["checked_in"].values())
        return shown(who, {"checked_in": total, "sites": len(sites)})
    return shown(who, {"sites": sites})
