"""The dashboard's panels as plain data: one view model per panel, drawn as HTML or JSON.

Each panel is built from the same service views the API answers with, and
both its page fragment and its JSON twin come from the value built here, then
redacted for the caller. Roles without personal-data rights get aggregates
only: free text (incident notes, alert explanations, claim sources) is left
out here, not merely hidden by the template.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from corridor.protection.access import AccessRole, Permission, allowed, sees_personal_data
from corridor.services.live import OperationRecord
from corridor.services.views import (
    agreement_view,
    alert_view,
    deal_state_view,
    figures_view,
    summary_view,
    tally_view,
)

Panel = Callable[[OperationRecord, AccessRole], dict[str, Any]]

URGENT_STAGES = ("halted", "at-checkpoint", "departed", "turned-back")


def convoys(record: OperationRecord, role: AccessRole) -> dict[str, Any]:
    """Trips by stage; trips people sit in on the road, halted first."""
    summary = summary_view(record)
    on_road: list[dict[str, Any]] = [
        {
            "trip": trip.id,
            "movement": trip.movement,
            "stage": str(trip.stage),
            "last_site": trip.last_site,
            "people": sum(trip.on_board.values()),
        }
        for trip in record.book.trips.values()
        if str(trip.stage) in URGENT_STAGES
    ]
    on_road.sort(key=lambda t: (URGENT_STAGES.index(t["stage"]), -int(t["people"]), t["trip"]))
    return {"trips": summary["trips"], "people": summary["people"], "on_road": on_road}


def deal(record: OperationRecord, role: AccessRole) -> dict[str, Any]:
    """Each term holding or blocking now, and why; people dispatched against confirmed."""
    if record.agreement is None:
        return {"agreement": None, "terms": [], "dispatched": {}, "registered": {}, "confirmed": {}}
    terms = agreement_view(record)
    state = deal_state_view(record)
    blocking: dict[str, list[dict[str, str]]] = {}
    for movement, halts in terms["halted"].items():
        for halt in halts:
            blocking.setdefault(halt["term"], []).append(
                {"movement": movement, "incident": halt["incident"]}
            )
    resumed = {h["term"]: h["resumed_by"] for h in state["halts"]}
    registered: dict[str, int] = {}
    for tally in record.book.tallies():
        registered[tally.movement] = registered.get(tally.movement, 0) + tally.registered
    return {
        "agreement": terms["id"],
        "name": terms["name"],
        "guarantors": terms["guarantors"],
        "terms": [
            {
                **term,
                "blocking": term["id"] in blocking,
                "halts": blocking.get(term["id"], []),
                "resumed_by": resumed.get(term["id"], []),
            }
            for term in terms["terms"]
        ],
        "dispatched": state["dispatched"],
        "registered": dict(sorted(registered.items())),
        "confirmed": state["confirmed"],
    }


def custody(record: OperationRecord, role: AccessRole) -> dict[str, Any]:
    """The chain of custody balance per movement and group, and the open protection alerts."""
    tallies = [tally_view(t) for t in record.book.tallies()]
    alerts = []
    for alert in record.book.alerts.values():
        if not alert.open:
            continue
        view = alert_view(alert)
        view.pop("resolution", None)
        alerts.append(view)
    return {"balanced": all(t["balanced"] for t in tallies), "tallies": tallies, "alerts": alerts}


def incidents(record: OperationRecord, role: AccessRole) -> dict[str, Any]:
    """Every incident with its status, and which actions this role may take on it."""
    personal = sees_personal_data(role)
    shown = []
    for key in sorted(record.incidents):
        found = record.incidents[key]
        item = {
            "incident": found["incident"],
            "kind": found.get("kind"),
            "severity": found.get("severity"),
            "corridor": found.get("corridor"),
            "site": found.get("site"),
            "status": found.get("status"),
        }
        if personal:
            item["note"] = found.get("note") or ""
        shown.append(item)
    deal = record.agreement.rules.agreement if record.agreement is not None else None
    return {
        "incidents": shown,
        "monitors": list(deal.monitors) if deal is not None else [],
        "may_verify": allowed(role, Permission.VERIFY_INCIDENT),
        "may_resume": allowed(role, Permission.RECORD_RESUME),
    }


def figures(record: OperationRecord, role: AccessRole) -> dict[str, Any]:
    """The ledger's figures beside the claims parties made."""
    rows = figures_view(record)
    if not sees_personal_data(role):
        for row in rows:
            for claim in row["claims"]:
                claim.pop("source", None)
    return {"figures": rows}


PANELS: dict[str, Panel] = {
    "convoys": convoys,
    "deal": deal,
    "custody": custody,
    "incidents": incidents,
    "figures": figures,
}
