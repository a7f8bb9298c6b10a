"""An independent checker: does a plan respect every rule of its scenario?

It reads the `Scenario` itself (not the planning model) and recomputes road
times with its own Floyd-Warshall, so a mistake in the planner's model cannot
hide a mistake in its plans.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from itertools import pairwise

from corridor.domain.scenario import Group, Scenario
from corridor.planning.model import Pacing, Staging, Window
from corridor.planning.plan import Plan, PlannedTrip

TOLERANCE = 1e-6


def road_minutes(scenario: Scenario) -> dict[tuple[str, str], float]:
    """All-pairs shortest minutes (Floyd-Warshall); missing pairs have no road."""
    sites = [s.id for s in scenario.sites]
    inf = float("inf")
    dist = {(a, b): (0.0 if a == b else inf) for a in sites for b in sites}
    for link in scenario.links:
        dist[(link.a, link.b)] = min(dist[(link.a, link.b)], link.minutes)
        if not link.one_way:
            dist[(link.b, link.a)] = min(dist[(link.b, link.a)], link.minutes)
    for k in sites:
        for i in sites:
            for j in sites:
                if dist[(i, k)] + dist[(k, j)] < dist[(i, j)]:
                    dist[(i, j)] = dist[(i, k)] + dist[(k, j)]
    return {key: value for key, value in dist.items() if value < inf}


def violations(
    scenario: Scenario,
    plan: Plan,
    pacings: Iterable[Pacing] = (),
    windows: dict[str, tuple[Window, ...]] | None = None,
    stagings: Iterable[Staging] = (),
) -> list[str]:
    """Every rule the plan breaks, in words; empty when the plan is valid."""
    found: list[str] = []
    roads = road_minutes(scenario)
    direct = {}
    for link in scenario.links:
        direct[(link.a, link.b)] = min(link.minutes, direct.get((link.a, link.b), 1e18))
        if not link.one_way:
            direct[(link.b, link.a)] = min(link.minutes, direct.get((link.b, link.a), 1e18))
    vehicles = {v.id: v for v in plan.vehicles}
    moved: dict[tuple[str, str, Group], int] = defaultdict(int)
    received: dict[tuple[str, Group], int] = defaultdict(int)
    crossings: dict[str, list[float]] = defaultdict(list)
    for vid, vehicle in sorted(vehicles.items()):
        kind = scenario.vehicle_kind(vehicle.kind)
        where, free = vehicle.depot, vehicle.ready
        for i, trip in enumerate(plan.trips_of(vid)):
            tag = f"{vid} trip {i}"
            if trip.sequence != i:
                found.append(f"{tag}: sequence {trip.sequence}")
            if trip.pickup + TOLERANCE < free + roads.get((where, trip.origin), float("inf")):
                found.append(f"{tag}: reaches {trip.origin} too early")
            if trip.depart + TOLERANCE < trip.pickup:
                found.append(f"{tag}: departs before it arrives")
            movement = scenario.movement(trip.movement)
            if trip.destination not in movement.destinations:
                found.append(f"{tag}: {trip.destination} is not a destination of {movement.id}")
            stretchers = trip.count(Group.WOUNDED_STRETCHER)
            if stretchers > kind.stretchers:
                found.append(f"{tag}: {stretchers} stretcher cases, {kind.stretchers} places")
            if trip.people - stretchers > kind.seats:
                found.append(f"{tag}: {trip.people - stretchers} seated, {kind.seats} seats")
            for load in trip.loads:
                if load.group not in movement.groups:
                    found.append(f"{tag}: carries ineligible {load.group.value}")
                moved[(trip.movement, trip.origin, load.group)] += load.count
                received[(trip.destination, load.group)] += load.count
            found.extend(_route(scenario, trip, direct, tag))
            elapsed = 0.0
            times = {trip.route[0]: 0.0} if trip.route else {}
            for a, b in pairwise(trip.route):
                elapsed += direct.get((a, b), float("inf"))
                times.setdefault(b, elapsed)
            if abs(trip.arrive - trip.depart - elapsed) > TOLERANCE:
                found.append(f"{tag}: runs {trip.arrive - trip.depart} min, road takes {elapsed}")
            for site in trip.route[1:-1]:
                if scenario.site(site).service_rate_per_hour:
                    crossings[site].append(trip.depart + times[site])
            for window_list in [(windows or {}).get(trip.movement)]:
                if window_list and not any(
                    w.open - TOLERANCE <= trip.depart and trip.arrive <= w.close + TOLERANCE
                    for w in window_list
                ):
                    found.append(f"{tag}: outside every window of {trip.movement}")
            where, free = trip.destination, trip.arrive
    for site, times_at in crossings.items():
        gap = 60.0 / (scenario.site(site).service_rate_per_hour or 1.0)
        times_at.sort()
        for a, b in pairwise(times_at):
            if b - a < gap - TOLERANCE:
                found.append(f"{site}: vehicles at {a} and {b}, headway {gap}")
    for p in scenario.populations:
        if p.group in scenario.movement(p.movement).groups:
            got = moved.pop((p.movement, p.site, p.group), 0)
            if got != p.count:
                found.append(f"{p.movement} {p.group.value} at {p.site}: moved {got} of {p.count}")
    found.extend(f"moved people who were not waiting: {key}" for key, n in moved.items() if n)
    for (site_id, group), n in received.items():
        site = scenario.site(site_id)
        limit = site.capacity_for(group) if site.capacities or group.needs_stretcher else n
        if n > limit:
            found.append(f"{site_id}: {n} {group.value}, {limit} places")
    found.extend(_pacing(plan, pacings))
    found.extend(_stages(plan, stagings))
    if abs(plan.makespan - max((t.arrive for t in plan.trips), default=0.0)) > TOLERANCE:
        found.append("makespan is not the last arrival")
    waiting = sum(t.people * t.depart for t in plan.trips) / 60
    if abs(plan.person_hours_waiting - waiting) > 1e-6 * max(1.0, waiting):
        found.append("person-hours waiting do not add up")
    if plan.lower_bound > plan.makespan + TOLERANCE:
        found.append(f"lower bound {plan.lower_bound} above makespan {plan.makespan}")
    return found


def _route(
    scenario: Scenario, trip: PlannedTrip, direct: dict[tuple[str, str], float], tag: str
) -> list[str]:
    problems: list[str] = []
    if not trip.route or trip.route[0] != trip.origin or trip.route[-1] != trip.destination:
        return [f"{tag}: route does not run from {trip.origin} to {trip.destination}"]
    for a, b in pairwise(trip.route):
        if (a, b) not in direct:
            problems.append(f"{tag}: no road {a} -> {b}")
    corridor = scenario.corridor(scenario.movement(trip.movement).corridor).sites
    ahead = corridor[corridor.index(trip.origin) + 1 :] if trip.origin in corridor else corridor
    position = 0
    for site in ahead:
        if site == trip.destination:
            break
        try:
            position = trip.route.index(site, position)
        except ValueError:
            problems.append(f"{tag}: leaves the corridor (misses {site})")
    return problems


def _pacing(plan: Plan, pacings: Iterable[Pacing]) -> list[str]:
    problems: list[str] = []
    for p in pacings:
        for trip in plan.trips:
            if trip.movement != p.movement:
                continue
            t = trip.depart
            ahead = sum(
                x.people
                for x in plan.trips
                if x.movement == p.movement and x.depart <= t + TOLERANCE
            )
            behind = sum(
                x.people
                for x in plan.trips
                if x.movement == p.partner and x.depart <= t + TOLERANCE
            )
            if ahead > int(p.ratio * behind + 1e-9) + p.allowance:
                problems.append(
                    f"pacing {p.movement}/{p.partner} broken at {t}: {ahead} vs {behind}"
                )
    return problems


def _stages(plan: Plan, stagings: Iterable[Staging]) -> list[str]:
    """Each vehicle's first person falls in a stage whose partner arrivals are in."""
    problems: list[str] = []
    for st in stagings:
        ours = sorted((t for t in plan.trips if t.movement == st.movement), key=lambda t: t.depart)
        departed = 0
        for t in ours:
            stage = next((k for k, end in enumerate(st.ends) if departed + 1 <= end), None)
            if stage is None:
                problems.append(f"{t.vehicle} leaves beyond the last stage of {st.movement}")
            else:
                arrived = sum(
                    x.people
                    for x in plan.trips
                    if x.movement == st.partner and x.arrive <= t.depart + TOLERANCE
                )
                if arrived < st.needs[stage]:
                    problems.append(
                        f"{t.vehicle} leaves {st.movement} stage {stage + 1} at {t.depart} "
                        f"with {arrived} of {st.partner} arrived, {st.needs[stage]} needed"
                    )
            departed += t.people
        times = [t.depart for t in ours]
        if len(set(times)) != len(times):
            problems.append(f"two vehicles of {st.movement} leave at the same minute")
    return problems
