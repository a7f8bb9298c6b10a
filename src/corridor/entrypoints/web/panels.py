"""The dashboard's panels as plain data: one view model per panel, drawn as HTML or JSON.

Each panel is built from the same service views the API answers with, and
both its page fragment and its JSON twin come from the value built here, then
redacted for the caller. Roles without personal-data rights get aggregates
only: free text (incident notes, alert explanations, claim sources) is left
out here, not merely hidden by the template.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from corridor.entrypoints.api.routes_reception import DETAIL
from corridor.entrypoints.web.map_view import world_of
from corridor.entrypoints.web.timeline_chart import timeline_chart
from corridor.protection.access import AccessRole, Permission, allowed, sees_personal_data
from corridor.protection.redaction import redact
from corridor.services.convoy_board import convoy_board
from corridor.services.deal_links import deal_links_view
from corridor.services.live import OperationRecord
from corridor.services.reception_board import reception_board
from corridor.services.timeline import Arrival
from corridor.services.views import (
    agreement_view,
    alert_view,
    deal_state_view,
    figures_view,
    tally_view,
)


@dataclass(frozen=True)
class Seen:
    """What a panel is built from: the record, who looks, the operation's time now."""

    record: OperationRecord
    role: AccessRole
    now: datetime
    arrivals: Callable[[], list[Arrival]] = list


Panel = Callable[[Seen], dict[str, Any]]


def convoys(seen: Seen) -> dict[str, Any]:
    """Trips by stage; trips people sit in on the road, halted longest first, with hours."""
    return convoy_board(seen.record, seen.now)


def timeline(seen: Seen) -> dict[str, Any]:
    """People moved per movement in calendar time, drawn as an SVG on the server.

    Most events are no arrival: the chart is kept per operation and drawn
    again only when an arrival is added or the operation-time minute turns.
    """
    arrivals, movements = seen.arrivals(), list(seen.record.movements)
    minute = seen.now.replace(second=0, microsecond=0)
    key = (len(arrivals), arrivals[-1] if arrivals else None, tuple(movements), minute)
    kept = _CHARTS.get(seen.record.id)
    if kept is None or kept[0] != key:
        kept = _CHARTS[seen.record.id] = (key, timeline_chart(arrivals, movements, seen.now))
    return kept[1]


_CHARTS: dict[str, tuple[Any, dict[str, Any]]] = {}
"""The last timeline chart drawn per operation, with what it was drawn from."""


def reception(seen: Seen) -> dict[str, Any]:
    """Shelters' check-ins against places, needs and first shortfall day; totals for liaisons."""
    return reception_board(world_of(seen.record), seen.record, seen.now, seen.role in DETAIL)


def deal(seen: Seen) -> dict[str, Any]:
    """Each term holding or blocking now, and why; staged and paced links' progress on both
    sides; people dispatched against confirmed."""
    record = seen.record
    if record.agreement is None:
        return {"agreement": None, "terms": [], "links": [], "dispatched": {}, "registered": {},
                "confirmed": {}}  # fmt: skip
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
        "links": deal_links_view(record),
    }


def custody(seen: Seen) -> dict[str, Any]:
    """The chain of custody balance per movement and group, and the open protection alerts."""
    record = seen.record
    tallies = [tally_view(t) for t in record.book.tallies()]
    alerts = []
    for alert in record.book.alerts.values():
        if not alert.open:
            continue
        view = alert_view(alert)
        view.pop("resolution", None)
        alerts.append(view)
    return {"balanced": all(t["balanced"] for t in tallies), "tallies": tallies, "alerts": alerts}


def incidents(seen: Seen) -> dict[str, Any]:
    """Every incident with its status, and which actions this role may take on it."""
    record, role = seen.record, seen.role
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


def figures(seen: Seen) -> dict[str, Any]:
    """The ledger's figures beside the claims parties made."""
    rows = figures_view(seen.record)
    if not sees_personal_data(seen.role):
        for row in rows:
            for claim in row["claims"]:
                claim.pop("source", None)
    return {"figures": rows}


PANELS: dict[str, Panel] = {
    "convoys": convoys,
    "timeline": timeline,
    "reception": reception,
    "deal": deal,
    "custody": custody,
    "incidents": incidents,
    "figures": figures,
}


def shared_panel(seen: Seen, name: str) -> Any:
    """Panel `name` for the role, redacted, built once per role and operation-time minute.

    Every dashboard fetches its panels again on each ledger tick; a hundred
    screens of the same role then share one build. The record empties its
    views on every event it applies, so a shared value never outlives the
    ledger state it was built from; within one state it is at most one
    minute of operation time old (the hours on the board, the timeline's end).
    """
    values = shared(seen)
    key = (name, str(seen.role))
    if key not in values:
        values[key] = redact(PANELS[name](seen), seen.role)
    return values[key]


def shared(seen: Seen) -> dict[Any, Any]:
    """What screens share for this ledger state and operation-time minute, by key.

    Kept in the record's views, which every applied event empties; a caller
    that still holds the dict of an older state only writes into a dict
    nobody reads any more.
    """
    minute = seen.now.replace(second=0, microsecond=0).isoformat()
    cached = seen.record.views.get(SHARED)
    if cached is None or cached[0] != minute:
        cached = seen.record.views[SHARED] = (minute, {})
    values: dict[Any, Any] = cached[1]
    return values


SHARED = "dashboard-panels"
"""The record's view holding this minute's panels by (panel, role)."""
