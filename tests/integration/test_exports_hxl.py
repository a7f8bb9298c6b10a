"""HXL exports read back with libhxl: the tags are there and the values match the ledger."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import hxl
import pytest

from corridor.adapters.exports.hxl_csv import write_hxl
from corridor.bootstrap import open_store
from corridor.domain.clock import SteppingClock
from corridor.domain.events import RecordedEvent
from corridor.domain.operation import operation_stream
from corridor.protection.access import AccessRole
from corridor.services.exports.handlers import ExportWorld, hxl_export
from tests.support.export_world import OPERATION, seed, world

ZONE = ZoneInfo("Asia/Damascus")
GENERATED = "2026-12-01T08:00:00+00:00"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    return seed(tmp_path_factory.mktemp("hxl") / "ledger.db")


def fixed() -> ExportWorld:
    base = world()
    return ExportWorld(base.scenario_of, base.gazetteer_of, base.resolve, SteppingClock(GENERATED))


def exported(db: str, tmp_path: Path, table: str, day: date | None = None) -> Any:
    """Write `table` as a coordinator would, and open the file with libhxl."""
    out = tmp_path / f"{table}.csv"
    with open_store(db) as store:
        write_hxl(
            hxl_export(store, OPERATION, table, AccessRole.COORDINATOR, fixed(), day).table, out
        )
    return hxl.data(str(out), hxl.InputOptions(allow_local=True)).cache()


def events(db: str) -> list[RecordedEvent]:
    with open_store(db) as store:
        return list(store.read(stream=operation_stream(OPERATION)))


def local_day(event: RecordedEvent) -> str:
    moment = datetime.fromisoformat(event.recorded_at.replace("Z", "+00:00")).astimezone(UTC)
    return moment.astimezone(ZONE).date().isoformat()


def test_the_figures_table_carries_the_standard_hashtags(db: str, tmp_path: Path) -> None:
    """Date, activity, P-code, reached and affected counts and provenance are tagged columns."""
    tags = {c.display_tag for c in exported(db, tmp_path, "figures").columns}
    assert {
        "#date",
        "#activity+code",
        "#adm1+origin+code",
        "#reached+ind+boarded",
        "#reached+ind+arrived",
        "#affected+ind+missing",
        "#meta+operation+code",
        "#meta+ledger+hash",
        "#date+generated",
    } <= tags


def test_people_boarded_and_arrived_per_day_match_the_ledger(db: str, tmp_path: Path) -> None:
    """Each movement's boarded and arrived people per local day equal the ledger's counts."""
    movement_of: dict[str, str] = {}
    boarded: Counter[tuple[str, str]] = Counter()
    arrived: Counter[tuple[str, str]] = Counter()
    for event in events(db):
        data = event.data()
        if event.type == "trip-boarded":
            movement_of[data["trip"]] = data["movement"]
            boarded[(local_day(event), data["movement"])] += sum(data["counts"].values())
        elif event.type == "trip-arrived":
            key = (local_day(event), movement_of[data["trip"]])
            arrived[key] += sum(data["counts"].values())
    rows = exported(db, tmp_path, "figures")
    seen_boarded: Counter[tuple[str, str]] = Counter()
    seen_arrived: Counter[tuple[str, str]] = Counter()
    for row in rows:
        key = (row.get("#date"), row.get("#activity+code"))
        seen_boarded[key] += int(row.get("#reached+boarded"))
        seen_arrived[key] += int(row.get("#reached+arrived"))
    assert +seen_boarded == boarded
    assert +seen_arrived == arrived
    assert sum(boarded.values()) == 138  # 3 wounded and 50 civilians, then 40 and 45


def test_the_custody_table_balances_as_the_ledger_does(db: str, tmp_path: Path) -> None:
    """Registered from the declared movements; arrived and exits recounted from events."""
    registered: Counter[tuple[str, str]] = Counter()
    arrived: Counter[tuple[str, str]] = Counter()
    exits: Counter[tuple[str, str]] = Counter()
    movement_of: dict[str, str] = {}
    alerts: dict[str, tuple[str, str, int]] = {}
    for event in events(db):
        data = event.data()
        if event.type == "movement-declared":
            for group, n in data["people"].items():
                registered[(data["movement"], group)] += n
        elif event.type == "trip-boarded":
            movement_of[data["trip"]] = data["movement"]
        elif event.type == "trip-arrived":
            for group, n in data["counts"].items():
                arrived[(movement_of[data["trip"]], group)] += n
        elif event.type == "protection-alert-raised":
            alerts[data["alert"]] = (movement_of[data["trip"]], data["group"], data["missing"])
        elif event.type == "protection-alert-resolved" and data["outcome"] == "exit":
            movement, group, missing = alerts[data["alert"]]
            exits[(movement, group)] += missing
        elif event.type == "people-exited":
            exits[(data["movement"], data["group"])] += data["count"]
    for row in exported(db, tmp_path, "custody"):
        key = (row.get("#activity+code"), row.get("#beneficiary+type"))
        assert int(row.get("#targeted+ind")) == registered[key]
        assert int(row.get("#reached+ind+arrived")) == arrived[key]
        assert int(row.get("#affected+ind+exited")) == exits[key]
        parts = ("#affected+waiting", "#affected+on_board", "#affected+unaccounted")
        held = sum(int(row.get(tag)) for tag in parts)
        assert held + arrived[key] + exits[key] == registered[key]


def test_claims_stand_beside_the_ledger_count_with_their_difference(
    db: str, tmp_path: Path
) -> None:
    """A party's claim of arrivals keeps its source and shows claim minus ledger."""
    (row,) = list(exported(db, tmp_path, "claims"))
    arrived = sum(
        sum(e.data()["counts"].values())
        for e in events(db)
        if e.type == "trip-arrived" and e.data()["trip"] in {"t0", "t1", "t2"}
    )
    assert row.get("#org+name") == "government-of-syria"
    assert row.get("#meta+source") == "Phone call from Yusuf Haddad"
    assert int(row.get("#indicator+num+ledger")) == arrived
    assert int(row.get("#indicator+num+difference")) == 9000 - arrived


def test_p_codes_come_from_the_bundled_gazetteer(db: str, tmp_path: Path) -> None:
    """Sites in Aleppo, Idleb and Rural Damascus carry governorate P-codes SY02, SY07, SY03."""
    codes = {row.get("#loc+code"): row.get("#adm1+code") for row in exported(db, tmp_path, "sites")}
    assert (codes["ramouseh"], codes["foua"], codes["madaya"]) == ("SY02", "SY07", "SY03")
    origins = {
        row.get("#activity+code"): row.get("#adm1+origin+code")
        for row in exported(db, tmp_path, "figures")
    }
    assert origins["foua-kefraya"] == "SY07"


def test_every_row_names_the_operation_and_the_last_ledger_event(db: str, tmp_path: Path) -> None:
    """Operation id, sequence and hash of the operation's last event, and the generation time."""
    last = events(db)[-1]
    for row in exported(db, tmp_path, "incidents"):
        assert row.get("#meta+operation") == OPERATION
        assert int(row.get("#meta+ledger+sequence")) == last.sequence
        assert row.get("#meta+ledger+hash") == last.hash
        assert row.get("#date+generated").startswith("2026-12-01T08:00:00")


def test_a_day_export_stops_at_the_end_of_that_day(db: str, tmp_path: Path) -> None:
    """Up to 15 Dec: rows of that day only, traced to the last event recorded on it."""
    rows = list(exported(db, tmp_path, "figures", date(2016, 12, 15)))
    on_the_day = [e for e in events(db) if local_day(e) == "2016-12-15"]
    assert {row.get("#date") for row in rows} == {"2016-12-15"}
    assert {row.get("#meta+ledger+hash") for row in rows} == {on_the_day[-1].hash}


def test_a_day_export_reads_no_event_after_the_first_one_of_the_next_day(
    db: str, tmp_path: Path
) -> None:
    """The fold of 15 Dec fetches the stream only up to the first event recorded on the 16th."""
    fetched: list[RecordedEvent] = []
    with open_store(db) as store:
        read = store.read

        def counting(after: int = 0, stream: str | None = None) -> Any:
            for event in read(after, stream):
                fetched.append(event)
                yield event

        store.read = counting  # type: ignore[method-assign]
        hxl_export(store, OPERATION, "figures", AccessRole.COORDINATOR, fixed(), date(2016, 12, 15))
    stream = events(db)
    first_after = next(e for e in stream if local_day(e) > "2016-12-15")
    assert fetched[-1].sequence == first_after.sequence
    assert len(fetched) < len(stream)


def test_incidents_keep_kind_severity_status_and_place(db: str, tmp_path: Path) -> None:
    """Each incident's kind, severity and status as recorded, with the site's position."""
    rows = {row.get("#event+code"): row for row in exported(db, tmp_path, "incidents")}
    assert rows["incident-1"].get("#event+type") == "shooting"
    assert rows["incident-1"].get("#status+verification") == "verified"
    assert rows["incident-2"].get("#status+verification") == "refuted"
    assert float(rows["incident-1"].get("#geo+lat")) == pytest.approx(36.166)
