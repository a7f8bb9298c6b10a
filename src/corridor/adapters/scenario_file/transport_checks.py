"""Cross-field rules of a scenario's transport model: occupancy, fleet over time, staging, flows.

Run by `checks.cross_check` on the raw parsed data in the same pass as every
other rule: an occupancy above what the door check lets aboard, a vehicle
lost before it is ready, a fleet tied to a movement or site that does not
exist, a staging ground off the corridor, a private flow that loads where its
movement does not pass or carries a group its kind cannot seat.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from corridor.adapters.scenario_file.raw import items as _items
from corridor.adapters.scenario_file.raw import number as _number

if TYPE_CHECKING:
    from corridor.adapters.scenario_file.checks import _Checker


def _spread_rules(checker: _Checker, spread: Any, path: str, most: float | None) -> None:
    """low <= mode <= high, and high at most `most` when a bound applies."""
    if not isinstance(spread, dict):
        return
    low, mode, high = (_number(spread.get(k)) for k in ("low", "mode", "high"))
    if low is None or mode is None or high is None:
        return
    if not low <= mode <= high:
        checker.fail(path, f"expected low <= mode <= high, found {low:g}, {mode:g}, {high:g}")
    if most is not None and high > most:
        checker.fail(
            f"{path}.high",
            f"{high:g} people is more than the door check lets aboard "
            f"(seats + standing = {most:g}); raise standing or lower the occupancy",
        )


def _kinds(checker: _Checker) -> dict[str, dict[str, Any]]:
    return {
        str(item.get("id")): item
        for _, item in _items(checker.data, "vehicle_kinds")
        if isinstance(item.get("id"), str)
    }


def _places(kind: dict[str, Any]) -> float | None:
    seats, standing = _number(kind.get("seats", 0)), _number(kind.get("standing", 0))
    return None if seats is None or standing is None else seats + standing


def occupancy_rules(checker: _Checker) -> None:
    for index, item in _items(checker.data, "vehicle_kinds"):
        spread = item.get("occupancy")
        path = f"vehicle_kinds[{index}].occupancy"
        _spread_rules(checker, spread, path, _places(item))
        low = _number(spread.get("low")) if isinstance(spread, dict) else None
        if low is not None and low < 1:
            checker.fail(
                f"{path}.low", f"a loaded trip carries someone: expected >= 1, found {low:g}"
            )


def fleet_time_rules(checker: _Checker) -> None:
    movements = {str(m.get("id")): m for _, m in _items(checker.data, "movements") if "id" in m}
    for index, item in _items(checker.data, "fleet"):
        path = f"fleet[{index}]"
        lead, lost = _number(item.get("lead_minutes", 0)), _number(item.get("lost_minutes"))
        if lead is not None and lost is not None and lost <= lead:
            checker.fail(
                f"{path}.lost_minutes",
                f"vehicles are lost at minute {lost:g}, not after they are ready "
                f"(lead_minutes {lead:g}); expected lost_minutes > lead_minutes",
            )
        served = item.get("movements")
        for i, movement in enumerate(served if isinstance(served, list) else []):
            if isinstance(movement, str):
                checker.known("movements", movement, f"{path}.movements[{i}]")
        pickups = item.get("pickups")
        for i, site in enumerate(pickups if isinstance(pickups, list) else []):
            if not isinstance(site, str) or not checker.known(
                "sites", site, f"{path}.pickups[{i}]"
            ):
                continue
            names = [m for m in served if isinstance(m, str)] if isinstance(served, list) else []
            candidates = [movements[m] for m in names if m in movements] or list(movements.values())
            if not any(_loads_at(checker, m, site) for m in candidates):
                checker.fail(
                    f"{path}.pickups[{i}]",
                    f"no movement these vehicles serve loads at {site!r} "
                    "(expected a movement's origin, staging ground or population site)",
                )
        party = item.get("party")
        if isinstance(party, str):
            checker.known("organisations", party, f"{path}.party")


def _loads_at(checker: _Checker, movement: dict[str, Any], site: str) -> bool:
    if site in (movement.get("origin"), movement.get("staging")):
        return True
    return any(
        p.get("movement") == movement.get("id") and p.get("site") == site
        for _, p in _items(checker.data, "populations")
    )


def staging_rules(checker: _Checker) -> None:
    for index, item in _items(checker.data, "movements"):
        staging = item.get("staging")
        path = f"movements[{index}].staging"
        if not isinstance(staging, str) or not checker.known("sites", staging, path):
            continue
        route = checker.corridor_sites.get(str(item.get("corridor")), [])
        if route and staging not in route[1:]:
            checker.fail(
                path,
                f"staging ground {staging!r} is not on corridor {item.get('corridor')!r} "
                f"after the origin (its sites: {', '.join(route)})",
            )
        destinations = item.get("destinations")
        if isinstance(destinations, list) and staging in destinations:
            checker.fail(path, f"{staging!r} is a destination; a staging ground is passed through")


def private_flow_rules(checker: _Checker) -> None:
    kinds = _kinds(checker)
    movements = {str(m.get("id")): m for _, m in _items(checker.data, "movements") if "id" in m}
    for index, item in _items(checker.data, "private_flows"):
        path = f"private_flows[{index}]"
        movement_id = item.get("movement")
        movement = movements.get(str(movement_id))
        if isinstance(movement_id, str):
            checker.known("movements", movement_id, f"{path}.movement")
        site = item.get("site")
        if isinstance(site, str) and checker.known("sites", site, f"{path}.site") and movement:
            route = checker.corridor_sites.get(str(movement.get("corridor")), [])
            if route and site not in route:
                checker.fail(
                    f"{path}.site",
                    f"{site!r} is not on corridor {movement.get('corridor')!r} of movement "
                    f"{movement_id!r} (its sites: {', '.join(route)})",
                )
        kind_id = item.get("kind")
        kind = kinds.get(str(kind_id))
        if isinstance(kind_id, str):
            checker.known("vehicle_kinds", kind_id, f"{path}.kind")
        if kind is not None and _places(kind) == 0:
            checker.fail(
                f"{path}.kind", f"vehicle kind {kind_id!r} has no seats for sitting people"
            )
        _spread_rules(checker, item.get("screening"), f"{path}.screening", None)
        groups = item.get("groups")
        allowed = movement.get("groups") if movement else None
        for i, group in enumerate(groups if isinstance(groups, list) else []):
            if group == "wounded-stretcher":
                checker.fail(
                    f"{path}.groups[{i}]",
                    "private vehicles carry sitting groups; stretcher cases need a stretcher place",
                )
            elif isinstance(allowed, list) and isinstance(group, str) and group not in allowed:
                checker.fail(
                    f"{path}.groups[{i}]",
                    f"movement {movement_id!r} does not carry {group!r} "
                    f"(its groups: {', '.join(str(g) for g in allowed)})",
                )


def transport_rules(checker: _Checker) -> None:
    """Every transport rule, in order."""
    occupancy_rules(checker)
    fleet_time_rules(checker)
    staging_rules(checker)
    private_flow_rules(checker)
