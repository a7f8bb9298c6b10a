"""Record one simulated run in a ledger, so it reads like any live operation.

A recorded run is the same operation any interface records: the operation is
opened on the scenario under its deal, then the run's trips go through the
same trip lifecycle a monitor records live (planned, boarded at the pickup,
departed, counted at each checkpoint it crossed, arrived and closed; or
turned back, returned and closed), alongside the deal's own events (requests
with their decisions, dispatches, crossings, stage confirmations, incidents,
resumes). So `corridor ops state`, the API's operation, trips and custody,
and every export give the same figures for it. The trip lifecycle is built
with the custody book's own verbs from the run's trace, so a run the book
would refuse cannot be recorded. It is one command: all of it or none.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from corridor.domain.agreement import Agreement, AgreementEvent, DecisionRecorded
from corridor.domain.custody import Basis, CustodyBook, CustodyEvent, PeopleRegistered, counts
from corridor.domain.events import AppendResult, NewEvent
from corridor.domain.scenario import Group, Scenario
from corridor.services.bus import Call, Services
from corridor.services.commands import OpenOperation
from corridor.services.handlers.common import custody_events, deal_events
from corridor.services.handlers.operations import opening
from corridor.simulation.deal import AgreementGate
from corridor.simulation.engine import Simulation
from corridor.simulation.montecarlo import Study, run_seeds
from corridor.simulation.trace import TraceEvent

__all__ = [
    "Timeline",
    "record_run_zero",
    "record_simulated_run",
    "run_timeline",
    "run_zero_timeline",
    "trip_lifecycle",
]

MONITOR = "simulation"
TURNED_BACK = "turned back under the simulated deal"


def _registered(scenario: Scenario) -> CustodyBook:
    book = CustodyBook()
    for population in scenario.populations:
        movement = scenario.movement(population.movement)
        book.apply(
            PeopleRegistered(movement.id, movement.origin, population.group, population.count)
        )
    return book


def trip_lifecycle(
    scenario: Scenario, trace: Sequence[TraceEvent]
) -> list[tuple[float, list[CustodyEvent]]]:
    """The custody events of a run's trips, with the minute each happened at.

    A trip that arrives at its movement's staging ground hands its people over
    there (they are out, and the deal counts them there); the onward trips
    from the staging ground are the receiving side's transport and are not
    custody trips of the evacuation.
    """
    book = _registered(scenario)
    current: dict[str, str] = {}
    numbers: dict[str, int] = {}
    pickups: dict[str, str] = {}
    staging = {m.id: m.staging for m in scenario.movements if m.staging is not None}
    onward: set[str] = set()
    out: list[tuple[float, list[CustodyEvent]]] = []
    for event in trace:
        data = event.data
        vehicle = str(data.get("vehicle", ""))
        if event.kind == "trip-dispatched" and staging.get(str(data["movement"])) == str(
            data["pickup"]
        ):
            onward.add(vehicle)
            continue
        if vehicle in onward:
            if event.kind in ("trip-arrived", "trip-turned-back"):
                onward.discard(vehicle)
            continue
        if event.kind == "trip-dispatched":
            numbers[vehicle] = numbers.get(vehicle, 0) + 1
            trip = current[vehicle] = f"{vehicle}.{numbers[vehicle]}"
            load = counts({Group(g): int(n) for g, n in data["load"].items()})
            site = pickups[trip] = str(data["pickup"])
            steps = book.plan(trip, str(data["movement"]), vehicle)
            steps += book.board(
                trip, str(data["movement"]), vehicle, site, load, Basis.COUNT, MONITOR
            )
            steps += book.depart(trip, site, MONITOR)
        elif event.kind == "trip-crossed":
            trip = current[vehicle]
            aboard = counts(book.trips[trip].on_board)
            steps = book.record_headcount(trip, str(data["site"]), aboard, MONITOR)
        elif event.kind == "trip-turned-back":
            trip = current.pop(vehicle)
            aboard = counts(book.trips[trip].on_board)
            steps = book.turn_back(trip, str(data["site"]), TURNED_BACK, MONITOR)
            steps += book.arrive(trip, pickups[trip], aboard, MONITOR)
            steps += book.close(trip, MONITOR)
        elif event.kind == "trip-arrived":
            trip = current.pop(vehicle)
            aboard = counts(book.trips[trip].on_board)
            steps = book.arrive(trip, str(data["destination"]), aboard, MONITOR)
            steps += book.close(trip, MONITOR)
        else:
            continue
        out.append((event.minute, steps))
    return out


def _when(event: AgreementEvent) -> datetime:
    if isinstance(event, DecisionRecorded):
        moment: datetime = event.request.at
        return moment
    found: datetime = event.at
    return found


Timeline = list[tuple[datetime, list[NewEvent]]]
"""A run's events on an operation's stream, each group at the operation time it happened."""


def run_timeline(
    operation: str,
    scenario: Scenario,
    deal: Sequence[AgreementEvent],
    trace: Sequence[TraceEvent],
    at: Callable[[float], datetime],
) -> Timeline:
    """The deal's events and the trips' custody events of one run, in time order."""
    timed: list[tuple[datetime, int, int, list[NewEvent]]] = []
    for index, fact in enumerate(deal):
        timed.append((_when(fact), 0, index, deal_events(operation, (fact,))))
    for index, (minute, steps) in enumerate(trip_lifecycle(scenario, trace)):
        moment = at(minute)
        timed.append((moment, 1, index, custody_events(operation, steps, moment)))
    # Stable in time: the deal's decision on a dispatch comes before the trip it lets go.
    timed.sort(key=lambda item: (item[0], item[1], item[2]))
    return [(moment, events) for moment, _, _, events in timed]


def record_simulated_run(
    services: Services,
    operation: str,
    ref: str,
    scenario: Scenario,
    deal: Sequence[AgreementEvent],
    trace: Sequence[TraceEvent],
    at: Callable[[float], datetime],
    *,
    actor: str = MONITOR,
) -> AppendResult:
    """Open `operation` on `ref` under its deal with the run after it: one command."""
    call = Call(actor, services.wall.now())
    opened = opening(services, OpenOperation(operation, ref, scenario.name), call)
    timeline = run_timeline(operation, scenario, deal, trace, at)
    run = [event for _, events in timeline for event in events]

    def decide(_: Any) -> list[NewEvent]:
        return [*opened.events, *run]

    return services.live.command(operation, decide, actor, opening=True)


def _run_zero(
    study: Study, agreement: Agreement, seed: int
) -> tuple[AgreementGate, list[TraceEvent]]:
    gate = AgreementGate(agreement, study.scenario, record=True)
    trace: list[TraceEvent] = []
    Simulation(
        study.scenario, study.model, study.options, gate, run_seeds(seed, 0), plan=study.plan,
        observer=trace.append,
    ).run(0)  # fmt: skip
    return gate, trace


def record_run_zero(
    services: Services, operation: str, ref: str, study: Study, agreement: Agreement, seed: int
) -> AppendResult:
    """Run 0 of a study again with the deal's events and the trace kept, and record it."""
    gate, trace = _run_zero(study, agreement, seed)
    return record_simulated_run(
        services, operation, ref, study.scenario, gate.events, trace, gate.at
    )


def run_zero_timeline(operation: str, study: Study, agreement: Agreement, seed: int) -> Timeline:
    """Run 0 of a study as a timeline to play into a live operation (the demo's)."""
    gate, trace = _run_zero(study, agreement, seed)
    return run_timeline(operation, study.scenario, gate.events, trace, gate.at)
