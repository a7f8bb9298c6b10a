"""The views every interface answers with (API, CLI, exports), built from the live record.

Views carry ids and counts only; personal data appears in the person
endpoints alone, and even there passes through redaction for the caller.
"""

from __future__ import annotations

from typing import Any

from corridor.domain.agreement.explain import explain
from corridor.domain.custody import Alert, Tally, Trip
from corridor.domain.events import AppendResult, RecordedEvent
from corridor.domain.figures import side_by_side
from corridor.errors import NotFound
from corridor.protection.access import AccessRole
from corridor.protection.redaction import redact_event
from corridor.services.bus import Outcome
from corridor.services.live import OperationRecord


def event_view(event: RecordedEvent, role: AccessRole = AccessRole.OBSERVER) -> dict[str, Any]:
    """One ledger event; personal-data events shrink to ids for roles without that right."""
    return {
        "sequence": event.sequence,
        "stream": event.stream,
        "version": event.version,
        "type": event.type,
        "actor": event.actor,
        "recorded_at": event.recorded_at,
        "data": redact_event(event.type, event.data(), role),
    }


def command_view(result: AppendResult, role: AccessRole) -> dict[str, Any]:
    """A command's answer; its events as the caller's `role` may see them.

    Stored answers are replayed only to the same token (the Idempotency-Key is
    scoped to the caller), so an answer never reaches another role.
    """
    return {
        "ok": True,
        "first_sequence": result.first_sequence,
        "last_sequence": result.last_sequence,
        "events": [event_view(e, role) for e in result.events],
    }


def outcome_view(outcome: Outcome, role: AccessRole) -> dict[str, Any]:
    """A command's answer as every interface gives it: its events as `role` may see them,
    what the deal decided in it (first `decision`, all `decisions`), and the handler's
    extras; `ok` is false when the deal refused any part of it."""
    body = command_view(outcome.result, role)
    decisions = outcome.decisions
    if decisions:
        body["decision"] = decisions[0]["decision"]
        body["decisions"] = [
            {"request": d["request"], "decision": d["decision"]} for d in decisions
        ]
    body.update(outcome.extras)
    if outcome.refused:
        body["ok"] = False
    return body


def tally_view(tally: Tally) -> dict[str, Any]:
    return {
        "movement": tally.movement,
        "group": str(tally.group),
        "registered": tally.registered,
        "waiting": tally.waiting,
        "in_transit": tally.in_transit,
        "on_board": tally.on_board,
        "unaccounted": tally.unaccounted,
        "arrived": tally.arrived,
        "exits": tally.exits,
        "balanced": tally.balanced,
    }


def trip_view(record: OperationRecord, trip: Trip) -> dict[str, Any]:
    return {
        "trip": trip.id,
        "movement": trip.movement,
        "vehicle": trip.vehicle,
        "convoy": trip.convoy,
        "stage": str(trip.stage),
        "last_site": trip.last_site,
        "on_board": {str(g): n for g, n in sorted(trip.on_board.items())},
        "alerts": list(trip.alerts),
        "open_alerts": record.book.open_alerts_of(trip),
        "manifest": list(trip.manifest),
    }


def alert_view(alert: Alert) -> dict[str, Any]:
    raised = alert.event
    view: dict[str, Any] = {
        "alert": raised.alert,
        "trip": raised.trip,
        "vehicle": raised.vehicle,
        "segment": {"from": raised.from_site, "to": raised.to_site},
        "group": str(raised.group),
        "missing": raised.missing,
        "open": alert.open,
    }
    if alert.resolution is not None:
        view["resolution"] = {
            "outcome": str(alert.resolution.outcome),
            "explanation": alert.resolution.explanation,
            "transfer_trip": alert.resolution.transfer_trip,
            "monitor": alert.resolution.monitor,
        }
    return view


def summary_view(record: OperationRecord) -> dict[str, Any]:
    trips = record.book.trips.values()
    stages: dict[str, int] = {}
    for trip in trips:
        stages[str(trip.stage)] = stages.get(str(trip.stage), 0) + 1
    tallies = record.book.tallies()
    return {
        "operation": record.id,
        "name": record.name,
        "scenario": record.scenario,
        "movements": record.movements,
        "trips": dict(sorted(stages.items())),
        "open_alerts": len(record.book.open_alerts()),
        "incidents": len(record.incidents),
        "people": {
            "registered": sum(t.registered for t in tallies),
            "waiting": sum(t.waiting for t in tallies),
            "in_transit": sum(t.in_transit for t in tallies),
            "arrived": sum(t.arrived for t in tallies),
            "exits": sum(t.exits for t in tallies),
        },
        "balanced": all(t.balanced for t in tallies),
        "clock": record.clock.payload(),
        "sequence": record.last_sequence,
    }


def figures_view(record: OperationRecord) -> list[dict[str, Any]]:
    views = side_by_side(record.book.tallies(), record.claims, record.movements)
    return [
        {
            "movement": v.movement,
            "figure": str(v.figure),
            "ledger": v.ledger,
            "claims": [
                {
                    "by": c.by,
                    "claimant": str(c.claimant),
                    "value": c.value,
                    "source": c.source,
                    "stated_at": c.stated_at,
                    "difference": c.difference,
                }
                for c in v.claims
            ],
        }
        for v in views
    ]


def agreement_view(record: OperationRecord) -> dict[str, Any]:
    """The deal the operation runs under, every term in plain words, and what halts now."""
    if record.agreement is None:
        raise NotFound(f"operation {record.id!r} runs under no agreement")
    deal = record.agreement.rules.agreement
    return {
        "id": deal.id,
        "name": deal.name,
        "parties": list(deal.parties),
        "guarantors": list(deal.guarantors),
        "monitors": list(deal.monitors),
        "terms": [{"id": i, "kind": k, "text": t} for i, k, t in explain(deal)],
        "halted": {
            movement: [{"term": term, "incident": incident} for term, incident in halts]
            for movement, halts in sorted(record.agreement.halted.items())
            if halts
        },
    }


def deal_state_view(record: OperationRecord) -> dict[str, Any]:
    """The deal's figures: people dispatched and confirmed, incidents, standing halts."""
    current = record.agreement
    if current is None:
        raise NotFound(f"operation {record.id!r} runs under no agreement")
    return {
        "agreement": current.rules.agreement.id,
        "dispatched": {m: current.people(m) for m in sorted(current.rules.groups)},
        "trips": dict(sorted(current.trips.items())),
        "confirmed": {f"{m}/{o}": n for (m, o), n in sorted(current.confirmed.items())},
        "incidents": {
            i.id: {"kind": i.kind, "severity": i.severity, "status": i.status}
            for i in sorted(current.incidents.values(), key=lambda i: i.id)
        },
        "halts": [
            {"term": t, "incident": i, "resumed_by": sorted(g)}
            for (t, i), g in sorted(current.halts.items())
        ],
        "decisions": current.decisions,
    }


def state_view(record: OperationRecord) -> dict[str, Any]:
    """One operation as every interface shows it: summary, clock, custody, deal."""
    tallies = record.book.tallies()
    view = summary_view(record)
    view["custody"] = {
        "balanced": all(t.balanced for t in tallies),
        "tallies": [tally_view(t) for t in tallies],
    }
    view["deal"] = deal_state_view(record) if record.agreement is not None else None
    return view
