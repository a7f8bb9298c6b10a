"""Decisions per second of the agreement engine on a large, busy operation.

A deal of 20 terms over four movements; a state built incrementally from
10,000 dispatched trips and 1,000 incidents (with verifications, refutations,
resumes and stage confirmations); then a fixed mix of dispatch, crossing,
confirmation and resume requests decided against it. The state is never
refolded per decision: that is what the figure measures. Goal: >= 20,000
decisions/s.
"""

from __future__ import annotations

import random
import statistics
import time
from datetime import date, datetime, timedelta, timezone
from typing import Any

from corridor.domain.agreement import (
    Agreement,
    AgreementEvent,
    AgreementState,
    Cap,
    ConfirmStage,
    CrossCheckpoint,
    DispatchTrip,
    IncidentRefuted,
    IncidentReported,
    IncidentVerified,
    PacedLink,
    Priority,
    RecordResume,
    Request,
    ResumeRecorded,
    Stage,
    StageConfirmed,
    StagedLink,
    Suspension,
    Term,
    TripDispatched,
    Window,
    decide,
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

LOCAL = timezone(timedelta(hours=2))
MOVEMENTS = ("m1", "m2", "m3", "m4")
GROUPS = (Group.CIVILIANS, Group.WOUNDED_SEATED, Group.FIGHTERS)


def world() -> Scenario:
    sites = [
        Site("gate", "Gate", (SiteKind.CHECKPOINT,)),
        Site("camp", "Camp", (SiteKind.SHELTER,)),
    ]
    sites += [Site(m, m, (SiteKind.ENCLAVE,)) for m in MOVEMENTS]
    return Scenario(
        id="bench",
        name="Bench",
        start="2016-12-15T00:00",
        timezone="Etc/GMT-2",
        sites=tuple(sites),
        links=(),
        corridors=tuple(Corridor(f"{m}-road", (m, "gate", "camp")) for m in MOVEMENTS),
        vehicle_kinds=(),
        fleet=(),
        populations=tuple(
            Population(m, m, g, 500_000 if g is Group.CIVILIANS else 50)
            for m in MOVEMENTS
            for g in GROUPS
        ),
        movements=tuple(Movement(m, m, f"{m}-road", ("camp",), GROUPS) for m in MOVEMENTS),
        organisations=(
            Organisation("icrc", "ICRC", Role.MONITOR),
            Organisation("g1", "G1", Role.GUARANTOR),
            Organisation("g2", "G2", Role.GUARANTOR),
            Organisation("g3", "G3", Role.GUARANTOR),
        ),
    )


def deal() -> Agreement:
    terms: list[Term] = []
    for i, m in enumerate(MOVEMENTS):
        terms.append(Window(f"W{i}", "w", (m,), date(2016, 12, 15), date(2016, 12, 31), 0, 1440))
    big = tuple(Stage(200_000, 100) for _ in range(5))
    terms.append(StagedLink("S1", "s", "m1", "m2", "icrc", big))
    terms.append(StagedLink("S2", "s", "m3", "m4", "icrc", big))
    terms.append(PacedLink("P1", "p", "m2", "m1", 10.0, 100_000))
    terms.append(PacedLink("P2", "p", "m4", "m3", 10.0, 100_000))
    for i, m in enumerate(MOVEMENTS):
        terms.append(
            Suspension(f"H{i}", "h", (m,), ("g1", "g2", "g3"), 2, ("shooting",), 3, f"{m}-road")
        )
    terms.append(Priority("R1", "r", ("m1", "m2"), (), True))
    terms.append(Priority("R2", "r", ("m3", "m4"), (), True))
    for i, m in enumerate(MOVEMENTS):
        terms.append(Cap(f"C{i}", "c", m, 10_000, Group.FIGHTERS))
    terms.append(Cap("C4", "c", "m1", 1_000_000))
    terms.append(Cap("C5", "c", "m3", 1_000_000))
    assert len(terms) == 20
    return Agreement(
        "bench",
        "Bench deal",
        "synthetic",
        "Etc/GMT-2",
        tuple(terms),
        guarantors=("g1", "g2", "g3"),
        monitors=("icrc",),
    )


def history(trips: int, incidents: int, rng: random.Random) -> list[AgreementEvent]:
    """Trips and incidents interleaved; a third of incidents refuted, the rest resumed."""
    at = datetime(2016, 12, 16, 8, tzinfo=LOCAL)
    events: list[AgreementEvent] = []
    every = max(trips // incidents, 1)
    incident = 0
    for n in range(trips):
        m = MOVEMENTS[n % 4]
        events.append(TripDispatched(m, f"bus-{n}", ((Group.CIVILIANS, 40),), at))
        if n % 50 == 0:
            events.append(StageConfirmed(m, "icrc", 100, at))
        if n % every == 0 and incident < incidents:
            i = f"i{incident}"
            road = f"{MOVEMENTS[rng.randrange(4)]}-road"
            events.append(
                IncidentReported(i, "shooting", rng.randint(1, 5), road, "gate", "icrc", at)
            )
            events.append(IncidentVerified(i, "icrc", at))
            if incident % 3 == 0:
                events.append(IncidentRefuted(i, "icrc", at))
            else:
                for term in ("H0", "H1", "H2", "H3"):
                    events.append(ResumeRecorded(term, "g1", at))
                    events.append(ResumeRecorded(term, "g2", at))
            incident += 1
    return events


def requests(count: int, rng: random.Random) -> list[Request]:
    at = datetime(2016, 12, 20, 10, tzinfo=LOCAL)
    out: list[Request] = []
    for n in range(count):
        m = MOVEMENTS[rng.randrange(4)]
        roll = n % 10
        if roll < 7:
            load = ((Group.CIVILIANS, rng.randint(10, 60)), (Group.FIGHTERS, rng.randint(0, 5)))
            out.append(DispatchTrip(m, "bus", at, load))
        elif roll < 9:
            out.append(CrossCheckpoint(m, "bus", "gate", at, 40))
        else:
            out.append(ConfirmStage(m, "icrc", 40, at))
    out.append(RecordResume("H0", "g3", at))
    return out


def run(quick: bool) -> dict[str, Any]:
    rng = random.Random(7)
    trips, incidents = (1_000, 100) if quick else (10_000, 1_000)
    events = history(trips, incidents, rng)
    state = AgreementState.start(deal(), world())
    started = time.perf_counter()
    for event in events:
        state = state.apply(event)
    apply_seconds = time.perf_counter() - started
    batch = requests(2_000 if quick else 20_000, rng)
    rates: list[float] = []
    cpu_rates: list[float] = []
    allowed = 0
    for _ in range(3 if quick else 5):
        started, cpu = time.perf_counter(), time.process_time()
        allowed = sum(decide(state, r).allowed for r in batch)
        rates.append(len(batch) / (time.perf_counter() - started))
        cpu_rates.append(len(batch) / (time.process_time() - cpu))
    return {
        "terms": len(state.rules.agreement.terms),
        "trips": sum(state.trips.values()),
        "incidents": len(state.incidents),
        "events_applied": len(events),
        "apply_events_per_second": round(len(events) / apply_seconds),
        "decisions": len(batch),
        "allowed": allowed,
        "decisions_per_second_median": round(statistics.median(rates)),
        "decisions_per_second_min": round(min(rates)),
        # Per second of this process's CPU: the figure a busy shared machine distorts least.
        "decisions_per_cpu_second_median": round(statistics.median(cpu_rates)),
        "goal_decisions_per_second": 20_000,
    }
