"""The reception HXL tables: occupancy against places, and Sphere needs against stocks.

One row per reception site and day (`reception`) and per site, day and
supply (`needs`), from the live ledger forecast of `services.exports.reception`.
Liaisons and observers get one row per day (and supply) for all sites
together, as the reception API answers them.
"""

from __future__ import annotations

from typing import Any

from corridor.protection.access import AccessRole
from corridor.services.exports.columns import AREA, Column, Table, scoped_table
from corridor.services.exports.places import Places, admin_codes
from corridor.services.exports.reading import OperationRead
from corridor.services.exports.reception import reception_of

SITE = (
    Column("site", "Site", "#loc+code"),
    Column("name", "Site name", "#loc+name"),
    *AREA,
    Column("adm2_code", "District P-code", "#adm2+code"),
    Column("adm3_code", "Sub-district P-code", "#adm3+code"),
)


def _area(places: Places, site: str, pcode: str) -> dict[str, Any]:
    if not site:
        return {"adm1_code": "", "adm1_name": "", "adm2_code": "", "adm3_code": ""}
    area = places[site].area
    adm2, adm3 = admin_codes(pcode)
    return {
        "adm1_code": area.adm1_code,
        "adm1_name": area.adm1_name,
        "adm2_code": adm2,
        "adm3_code": adm3,
    }


def reception_table(read: OperationRead, places: Places, role: AccessRole) -> Table:
    """Per reception site and day: places, checked in, expected, present, over capacity."""
    columns = [
        Column("date", "Date", "#date"),
        *SITE,
        Column("places", "Places", "#capacity+ind"),
        Column("checked_in", "Checked in by the day shown", "#reached+ind+checked_in"),
        Column("expected", "Expected on the day (on the road)", "#affected+ind+expected"),
        Column("present", "People present at the day's end", "#affected+ind+present"),
        Column("over", "People above places", "#affected+ind+over_capacity"),
        Column("occupancy_pct", "Occupancy %", "#indicator+num+pct+occupancy"),
        Column("forecast", "Forecast", "#meta+forecast"),
    ]
    found = reception_of(read, role)
    rows: list[dict[str, Any]] = []
    if found is not None:
        pcodes = _pcodes(read)
        for r in found.sites:
            pct = r.occupancy_pct
            rows.append(
                {
                    "date": r.day,
                    "site": r.site,
                    "name": r.name,
                    **_area(places, r.site, pcodes.get(r.site, "")),
                    "places": r.places,
                    "checked_in": r.checked_in,
                    "expected": r.expected,
                    "present": r.present,
                    "over": r.over_capacity,
                    "occupancy_pct": "" if pct is None else pct,
                    "forecast": found.source,
                }
            )
    return scoped_table("reception", columns, rows, read, role)


def needs_table(read: OperationRead, places: Places, role: AccessRole) -> Table:
    """Per reception site, day and supply: the Sphere need, the stock, the shortfall."""
    columns = [
        Column("date", "Date", "#date"),
        *SITE,
        Column("supply", "Supply", "#item+code"),
        Column("need", "Need", "#indicator+num+need"),
        Column("available", "Available (declared stocks only)", "#indicator+num+available"),
        Column("short", "Short", "#indicator+num+short"),
        Column("short_from", "Short from", "#date+shortfall"),
        Column("forecast", "Forecast", "#meta+forecast"),
    ]
    found = reception_of(read, role)
    rows: list[dict[str, Any]] = []
    if found is not None:
        pcodes = _pcodes(read)
        for r in found.supplies:
            rows.append(
                {
                    "date": r.day,
                    "site": r.site,
                    "name": r.name,
                    **_area(places, r.site, pcodes.get(r.site, "")),
                    "supply": r.supply,
                    "need": _number(r.need),
                    "available": "" if r.available is None else _number(r.available),
                    "short": _number(r.short),
                    "short_from": r.short_from,
                    "forecast": found.source,
                }
            )
    return scoped_table("needs", columns, rows, read, role)


def _pcodes(read: OperationRead) -> dict[str, str]:
    return {s.id: s.reception.pcode or "" for s in read.scenario.sites if s.reception is not None}


def _number(value: float) -> int | float:
    """Whole amounts as integers (latrines, blankets, litres), the rest to two decimals."""
    return int(value) if float(value).is_integer() else round(value, 2)
