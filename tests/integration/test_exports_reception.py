"""Reception in the HXL exports: occupancy and Sphere needs read back with libhxl, recomputed."""

from __future__ import annotations

import math
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import hxl
import pytest
import yaml

from corridor.adapters.exports.hxl_csv import write_hxl
from corridor.adapters.scenario_file.loader import load_bundled
from corridor.bootstrap import open_store
from corridor.domain.events import RecordedEvent
from corridor.domain.operation import operation_stream
from corridor.protection.access import AccessRole
from corridor.services.exports.handlers import hxl_export
from tests.support.export_world import OPERATION, SEEDED_NAMES, seed, world

DAY = date(2016, 12, 20)
SPHERE = Path(__file__).parents[2] / "src/corridor/reception/sphere-2018.yaml"
COLD_SITES = ("atareb", "sarmada", "idlib", "bab-al-hawa", "jibreen")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    return seed(tmp_path_factory.mktemp("reception") / "ledger.db")


def exported(db: str, tmp_path: Path, table: str, role: AccessRole) -> list[Any]:
    """Write `table` for 20 Dec as `role`, and read the file back with libhxl."""
    out = tmp_path / f"{table}-{role}.csv"
    with open_store(db) as store:
        write_hxl(hxl_export(store, OPERATION, table, role, world(), DAY).table, out)
    return list(hxl.data(str(out), hxl.InputOptions(allow_local=True)).cache())


def events(db: str) -> list[RecordedEvent]:
    with open_store(db) as store:
        return list(store.read(stream=operation_stream(OPERATION)))


def checked_in(db: str) -> Counter[str]:
    """People counted off arrived trips at each site, straight from the ledger's events."""
    found: Counter[str] = Counter()
    for event in events(db):
        if event.type == "trip-arrived":
            data = event.data()
            found[data["site"]] += sum(data["counts"].values())
    return found


def on_the_road(db: str) -> int:
    """People on boarded trips the ledger has not seen arrive, turn back or close."""
    boarded: dict[str, int] = {}
    for event in events(db):
        data = event.data()
        if event.type == "trip-boarded":
            boarded[data["trip"]] = sum(data["counts"].values())
        elif event.type in ("trip-arrived", "trip-turned-back", "trip-closed"):
            boarded.pop(data["trip"], None)
    return sum(boarded.values())


def cold_rates() -> dict[str, tuple[float, bool]]:
    """Per supply, the amount per person in the cold and whether it is counted whole."""
    rates = {}
    for entry in yaml.safe_load(SPHERE.read_text(encoding="utf-8"))["standards"]:
        if "people_per_unit" in entry:
            rates[entry["supply"]] = (1 / entry["people_per_unit"], True)
        else:
            rate = entry.get("cold", entry["per_person"])
            rates[entry["supply"]] = (rate, entry["supply"] in ("blankets", "winter-kits"))
    return rates


def test_the_reception_table_carries_the_standard_hashtags(db: str, tmp_path: Path) -> None:
    """Site name, P-codes down to sub-district, places, people checked in and present are tagged."""
    rows = exported(db, tmp_path, "reception", AccessRole.COORDINATOR)
    tags = {column.display_tag for column in rows[0].columns}
    assert {
        "#date",
        "#loc+code",
        "#loc+name",
        "#adm1+code",
        "#adm2+code",
        "#adm3+code",
        "#capacity+ind",
        "#reached+ind+checked_in",
        "#affected+ind+expected",
        "#affected+ind+present",
        "#indicator+num+pct+occupancy",
    } <= tags


def test_people_checked_in_per_site_match_the_ledger(db: str, tmp_path: Path) -> None:
    """Each reception site's check-ins are the arrival counts the ledger holds for it."""
    rows = exported(db, tmp_path, "reception", AccessRole.COORDINATOR)
    ledger = checked_in(db)
    first = {r.get("#loc+code"): r for r in rows if r.get("#date") == DAY.isoformat()}
    assert set(first) == set(COLD_SITES)
    for site, row in first.items():
        assert int(row.get("#reached+ind+checked_in")) == ledger[site]
        assert int(row.get("#affected+ind+present")) == ledger[site]
    assert ledger["atareb"] == 47


def test_trips_on_the_road_arrive_in_the_forecast_and_nowhere_twice(
    db: str, tmp_path: Path
) -> None:
    """By the last day, everyone checked in plus everyone on the road is present somewhere."""
    rows = exported(db, tmp_path, "reception", AccessRole.COORDINATOR)
    last = max(r.get("#date") for r in rows)
    present = sum(int(r.get("#affected+ind+present")) for r in rows if r.get("#date") == last)
    expected = sum(int(r.get("#affected+ind+expected")) for r in rows)
    road = on_the_road(db)
    assert road == 40
    assert expected == road
    assert present == sum(checked_in(db)[s] for s in COLD_SITES) + road


def test_places_and_p_codes_come_from_the_scenario(db: str, tmp_path: Path) -> None:
    """Places are the shelters' declared places; al-Atarib is Atareb sub-district SY020001."""
    scenario = load_bundled("east-aleppo-2016")
    rows = exported(db, tmp_path, "reception", AccessRole.COORDINATOR)
    for row in rows:
        site = scenario.site(row.get("#loc+code"))
        assert site.reception is not None
        assert int(row.get("#capacity+ind")) == sum(s.places for s in site.reception.shelters)
    atareb = next(r for r in rows if r.get("#loc+code") == "atareb")
    assert (atareb.get("#adm1+code"), atareb.get("#adm2+code"), atareb.get("#adm3+code")) == (
        "SY02",
        "SY0200",
        "SY020001",
    )


def test_needs_are_occupancy_times_the_sphere_standard(db: str, tmp_path: Path) -> None:
    """Every need is people present x the cold-climate amount of the standards file."""
    present = {
        (r.get("#loc+code"), r.get("#date")): int(r.get("#affected+ind+present"))
        for r in exported(db, tmp_path, "reception", AccessRole.COORDINATOR)
    }
    rates = cold_rates()
    rows = exported(db, tmp_path, "needs", AccessRole.COORDINATOR)
    assert {r.get("#item+code") for r in rows} == set(rates)
    for row in rows:
        people = present[(row.get("#loc+code"), row.get("#date"))]
        rate, whole = rates[row.get("#item+code")]
        wanted = math.ceil(people * rate - 1e-9) if whole else people * rate
        assert float(row.get("#indicator+num+need")) == pytest.approx(wanted)


def test_a_stock_is_short_only_where_one_is_declared(db: str, tmp_path: Path) -> None:
    """Sites without declared stocks show no availability and no shortfall; Sarmada shows both."""
    rows = exported(db, tmp_path, "needs", AccessRole.COORDINATOR)
    for row in rows:
        if row.get("#loc+code") != "sarmada":
            assert row.get("#indicator+num+available") in ("", None)
            assert float(row.get("#indicator+num+short")) == 0
    water = [
        r for r in rows if r.get("#loc+code") == "sarmada" and r.get("#item+code") == "water-litres"
    ]
    assert [int(r.get("#indicator+num+available")) for r in water] == [150000, 250000, 350000]


def test_a_liaison_gets_totals_over_all_sites_and_no_name(db: str, tmp_path: Path) -> None:
    """One row per day with the sum of the sites' figures; no site, P-code or seeded name."""
    detail = exported(db, tmp_path, "reception", AccessRole.COORDINATOR)
    totals = exported(db, tmp_path, "reception", AccessRole.LIAISON)
    assert len(totals) == len({r.get("#date") for r in detail})
    for row in totals:
        day = row.get("#date")
        assert row.get("#loc+code") in ("", None)
        assert row.get("#adm3+code") in ("", None)
        for tag in ("#affected+ind+present", "#capacity+ind", "#reached+ind+checked_in"):
            mine = sum(int(r.get(tag)) for r in detail if r.get("#date") == day)
            assert int(row.get(tag)) == mine
    exported(db, tmp_path, "needs", AccessRole.LIAISON)
    for table in ("reception", "needs"):
        text = (tmp_path / f"{table}-{AccessRole.LIAISON}.csv").read_text(encoding="utf-8")
        assert not any(name in text for name in SEEDED_NAMES)
        assert "atareb" not in text
