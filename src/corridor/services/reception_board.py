"""The reception board: each shelter's check-ins against its places, needs and first shortfall.

Read from the live record, not a replay: check-ins are the trips' arrival
counts at reception sites, and the forecast is the reception package's live
one (`reception.live.from_ledger`: arrived so far, trips on the road at the
hour they are expected). Needs follow the Sphere standards over the coming
days from that forecast, with the first day each declared stock runs short.
Roles without site-level rights get totals only, as the reception API gives them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from corridor.domain.scenario import Scenario
from corridor.reception.forecast import destination_sites
from corridor.reception.live import check_ins, from_ledger
from corridor.services.live import OperationRecord
from corridor.services.reception import needs_view, shelter_needs

DAYS = 7
"""Days of needs the board looks ahead, from the operation's date today."""


def _sites(scenario: Scenario, record: OperationRecord, now: datetime) -> dict[str, Any]:
    trips = list(record.book.trips.values())
    arrived = check_ins(scenario, trips)
    local = now.astimezone(ZoneInfo(scenario.timezone)).replace(tzinfo=None)
    forecast = from_ledger(scenario, trips, local.isoformat(timespec="minutes"))
    expected = forecast.p50.sum(axis=(1, 2))
    needs = needs_view(shelter_needs(scenario, days=DAYS, forecast=forecast))
    first_short: dict[str, dict[str, Any]] = {}
    for short in sorted(needs["shortfalls"], key=lambda s: (s["from"], s["supply"])):
        first_short.setdefault(short["site"], short)
    today = {row["site"]: row for row in needs["days"] if row["day"] == needs["days"][0]["day"]}
    rows = []
    for i, site_id in enumerate(forecast.sites):
        site = scenario.site(site_id)
        places = sum(c.places for c in site.capacities)
        checked_in = sum(arrived.get(site_id, {}).values())
        rows.append(
            {
                "site": site_id,
                "checked_in": checked_in,
                "places": places,
                "share": round(checked_in / places, 3) if places else None,
                "expected": int(expected[i]),
                "need_today": today.get(site_id, {}).get("need", {}),
                "first_shortfall": first_short.get(site_id),
            }
        )
    return {"sites": rows, "days": DAYS}


def reception_board(
    scenario: Scenario | None, record: OperationRecord, now: datetime, detail: bool
) -> dict[str, Any]:
    """Shelters against places and their first shortfall; totals only when not `detail`."""
    if scenario is None or not destination_sites(scenario):
        return {"sites": [], "totals": None}
    key = f"reception-board:{now.date().isoformat()}:{now.hour}"
    built = record.views.get(key)
    if built is None:
        built = record.views[key] = _sites(scenario, record, now)
    rows = built["sites"]
    shortfalls = [r["first_shortfall"] for r in rows if r["first_shortfall"]]
    totals = {
        "sites": len(rows),
        "checked_in": sum(r["checked_in"] for r in rows),
        "places": sum(r["places"] for r in rows),
        "expected": sum(r["expected"] for r in rows),
        "sites_short": len(shortfalls),
        "first_shortfall_day": min((s["from"] for s in shortfalls), default=None),
        "days": built["days"],
    }
    return {"sites": rows if detail else [], "totals": totals}
