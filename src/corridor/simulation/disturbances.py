"""The processes that disturb a run: random incidents per corridor, and the scripted timeline.

Each is a SimPy process over a running `Simulation`: it reports incidents to
the deal, holds and releases movements, and wakes waiting vehicles through
the simulation's `hold` and `notify`. Random incidents draw from the run's own
incident stream, so adding a vehicle never changes when incidents happen.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Any

import simpy

from corridor.simulation.disruption import HaltKind, IncidentRisk, Scripted, TimelineEntry
from corridor.simulation.gate import IncidentNotice

if TYPE_CHECKING:
    from corridor.simulation.engine import Simulation

Process = Generator[simpy.Event, Any, None]


def movements_on(run: Simulation, entry: TimelineEntry) -> list[str]:
    """The movements a timeline entry holds (by movement or corridor; all when unscoped)."""
    return [
        m.id
        for m in run.scenario.movements
        if (entry.movement is None or entry.movement == m.id)
        and (entry.corridor is None or entry.corridor == m.corridor)
    ]


def random_incidents(run: Simulation, risk: IncidentRisk) -> Process:
    """Incidents on one corridor as a Poisson process, each followed by `incident`."""
    rng = run.rng_incidents
    rate = risk.rate_per_day / 1440.0
    kinds = [w.value for w in risk.kinds]
    kind_weights = [w.weight for w in risk.kinds]
    severities = [int(w.value) for w in risk.severities]
    severity_weights = [w.weight for w in risk.severities]
    number = 0
    while True:
        yield run.env.timeout(rng.expovariate(rate))
        number += 1
        kind = rng.choices(kinds, kind_weights)[0]
        severity = rng.choices(severities, severity_weights)[0]
        verification = risk.verification.draw(rng)
        suspension = risk.suspension.draw(rng)
        notice = IncidentNotice(
            f"{risk.corridor}-{number}", risk.corridor, kind, severity, run.env.now
        )
        run.env.process(
            incident(run, notice, verification, suspension, severity >= risk.suspend_at)
        )


def incident(
    run: Simulation,
    notice: IncidentNotice,
    verification: float,
    suspension: float,
    suspends: bool,
) -> Process:
    """Reported now, verified after `verification`, resumed `suspension` minutes later.

    When `suspends`, the corridor's own movements are held from verification
    to resume; the deal hears of each step and may hold others (linked terms).
    """
    run.incidents += 1
    run.gate.reported(notice)
    if run.observer is not None:
        run.emit(
            "incident-reported",
            incident=notice.id,
            corridor=notice.corridor,
            kind=notice.kind,
            severity=notice.severity,
        )
    yield run.env.timeout(verification)
    run.gate.verified(notice, run.env.now)
    if run.observer is not None:
        run.emit("incident-verified", incident=notice.id)
    movements = [m.id for m in run.scenario.movements if m.corridor == notice.corridor]
    if suspends:
        run.halts += 1
        run.hold(movements, None, 1)
    else:
        run.notify()
    yield run.env.timeout(suspension)
    if suspends:
        run.hold(movements, None, -1)
    run.gate.resumed(notice, run.env.now)
    if run.observer is not None:
        run.emit("movement-resumed", incident=notice.id)
    run.notify()


def scripted(run: Simulation, entry: TimelineEntry) -> Process:
    """One timeline entry: a halt of its kind over its span, or a scripted incident.

    A stop halt holds dispatch and crossings in scope, a dispatch halt only
    dispatch; an exchange holds vehicles at its site until they meet a partner.

    Turn-backs need no process: vehicles check them as they reach a site.
    """
    if entry.start > run.env.now:
        yield run.env.timeout(entry.start)
    if entry.action is Scripted.INCIDENT:
        notice = IncidentNotice(
            entry.position or f"scripted-{entry.start:g}",
            entry.corridor or "",
            entry.kind,
            entry.severity,
            run.env.now,
        )
        yield run.env.process(incident(run, notice, entry.verification, entry.suspension, True))
    elif entry.action is Scripted.HALT and entry.halt is HaltKind.EXCHANGE:
        # Vehicles meet at the exchange site by themselves (`Simulation._exchange`);
        # when the window closes, those still waiting for a partner go on.
        run.halts += 1
        if run.observer is not None:
            run.emit("halt-started", scope=entry.scope, note=entry.note, kind=entry.halt.value)
        yield run.env.timeout(entry.end - entry.start)
        if run.observer is not None:
            run.emit("halt-ended", scope=entry.scope, kind=entry.halt.value)
        run.release_exchange(run.exchanges.index(entry))
    elif entry.action is Scripted.HALT:
        movements = movements_on(run, entry)
        stop = entry.halt is HaltKind.STOP
        run.halts += 1
        if run.observer is not None:
            run.emit("halt-started", scope=entry.scope, note=entry.note, kind=entry.halt.value)
        run.hold(movements, entry.site, 1, stop=stop)
        yield run.env.timeout(entry.end - entry.start)
        if run.observer is not None:
            run.emit("halt-ended", scope=entry.scope, kind=entry.halt.value)
        run.hold(movements, entry.site, -1, stop=stop)
