"""An export read from a snapshot of the fold gives exactly what a full fold gives.

The recorded East Aleppo operation (a deal adopted, a manifest, alerts, an
exit, incidents verified and refuted, a standing halt, a claim) is read in
full, then again after a read kept a snapshot, on SQLite and PostgreSQL;
tampered and stale snapshots must be ignored.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator
from dataclasses import fields
from datetime import date
from pathlib import Path
from typing import Any

import orjson
import pytest
import sqlalchemy as sa

from corridor.adapters.exports.geojson_file import geojson_bytes
from corridor.adapters.exports.hxl_csv import write_hxl
from corridor.adapters.exports.sitrep.render import sitrep_html
from corridor.adapters.ledger.postgres import sqlalchemy_url
from corridor.bootstrap import open_store
from corridor.domain.clock import SteppingClock
from corridor.domain.events import RecordedEvent
from corridor.protection.access import AccessRole
from corridor.services.exports import reading, snapshots
from corridor.services.exports.handlers import ExportWorld, geojson_export, hxl_export
from corridor.services.exports.reading import OperationRead, read_operation
from corridor.services.exports.sitrep import sitrep_for
from corridor.services.exports.tables import TABLES
from corridor.services.ports import LedgerStore
from tests.support.export_world import OPERATION, seed, world

DAYS = (date(2016, 12, 15), date(2016, 12, 16), date(2016, 12, 20), None)
GENERATED = "2026-12-01T08:00:00+00:00"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return Path(seed(tmp_path_factory.mktemp("snapshots") / "seed.db").removeprefix("sqlite:///"))


@pytest.fixture(params=["sqlite", "postgres"])
def ledger(request: pytest.FixtureRequest, seeded: Path, tmp_path: Path) -> Iterator[LedgerStore]:
    """A fresh copy of the recorded operation (no snapshot yet) in each database."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'ledger.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
    request.node.ledger_url = url
    with open_store(f"sqlite:///{seeded}") as source, open_store(url) as store:
        store.load(source.read())
        yield store


@pytest.fixture
def keep_every_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep a snapshot after any read, however short (the operation has ~40 events)."""
    monkeypatch.setattr(reading, "KEEP_AFTER", 1)


def read(store: LedgerStore, day: date | None, use: bool = True) -> OperationRead:
    base = world()
    return read_operation(
        store,
        OPERATION,
        scenario_of=base.scenario_of,
        resolve=base.resolve,
        day=day,
        clock=SteppingClock(GENERATED),
        snapshots=use,
    )


def started_after(store: LedgerStore) -> list[int]:
    """Spy on the store's stream reads: the `after` of each, in order."""
    seen: list[int] = []
    plain: Callable[..., Iterator[RecordedEvent]] = store.read

    def spying(after: int = 0, stream: str | None = None) -> Iterator[RecordedEvent]:
        seen.append(after)
        return plain(after=after, stream=stream)

    store.read = spying  # type: ignore[method-assign]
    return seen


def assert_same_read(full: OperationRead, resumed: OperationRead) -> None:
    """Every field the fold sets, record, custody book, deal state and daily figures alike."""
    a, b = full.record, resumed.record
    for name in ("id", "opened", "name", "scenario", "movements", "claims", "incidents",
                 "version", "last_sequence", "clock", "decisions"):  # fmt: skip
        assert getattr(a, name) == getattr(b, name), name
    assert list(a.movements) == list(b.movements)
    assert list(a.incidents) == list(b.incidents)
    assert a.book.trips == b.book.trips
    assert list(a.book.trips) == list(b.book.trips)
    assert a.book.alerts == b.book.alerts
    assert a.book.tallies() == b.book.tallies()
    for tally in ("_registered", "_waiting", "_arrived", "_exits"):
        assert dict(getattr(a.book, tally)) == dict(getattr(b.book, tally)), tally
    assert (a.book.world is None) == (b.book.world is None)
    assert a.agreement is not None
    assert b.agreement is not None
    for f in fields(a.agreement):
        if f.name != "rules":
            assert getattr(a.agreement, f.name) == getattr(b.agreement, f.name), f.name
    assert a.agreement.rules.agreement == b.agreement.rules.agreement
    assert a.world is not None
    assert b.world is not None
    assert a.world.id == b.world.id
    s, t = full.series, resumed.series
    assert s.days == t.days
    assert (s.first_day, s.last_day) == (t.first_day, t.last_day)
    assert s._trip_movement == t._trip_movement
    assert s._alert_movement == t._alert_movement
    assert s._corridor_movements == t._corridor_movements
    assert full.provenance == resumed.provenance
    assert full.scenario.id == resumed.scenario.id


@pytest.mark.usefixtures("keep_every_read")
@pytest.mark.parametrize("day", DAYS, ids=str)
def test_a_read_from_a_snapshot_equals_a_full_fold_field_by_field(
    ledger: LedgerStore, day: date | None
) -> None:
    """The second read starts after the kept event and ends with what a full fold gives."""
    full = read(ledger, day, use=False)
    read(ledger, day)  # folds in full, keeps a snapshot where it stopped
    seen = started_after(ledger)
    resumed = read(ledger, day)
    assert seen == [0, full.provenance.sequence], "it read the stream after the snapshot"
    assert_same_read(full, resumed)


@pytest.mark.usefixtures("keep_every_read")
def test_a_later_day_folds_on_from_an_earlier_days_snapshot(ledger: LedgerStore) -> None:
    """A snapshot at the end of 16 Dec serves 20 Dec and the whole record, folding the rest."""
    earlier = read(ledger, date(2016, 12, 16)).provenance.sequence
    for day in (date(2016, 12, 20), None):
        full = read(ledger, day, use=False)
        seen = started_after(ledger)
        assert_same_read(full, read(ledger, day))
        assert seen[1] >= earlier
        ledger.read = type(ledger).read.__get__(ledger)  # type: ignore[method-assign]


def tamper(url: str, change: Callable[[sa.Connection], None]) -> None:
    """Change the side table behind the store's back, as anyone with the database could."""
    engine = sa.create_engine(sqlalchemy_url(url), poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as db:
            change(db)
    finally:
        engine.dispose()


def new_body(db: sa.Connection) -> None:
    """The body rewritten (one trip's people counted differently), its digest left as it was."""
    body = db.execute(sa.text("SELECT body FROM fold_snapshots")).scalar_one()
    form: dict[str, Any] = orjson.loads(zlib.decompress(body))
    form["record"]["book"]["trips"][0][5] = [["civilians", 999]]
    changed = zlib.compress(orjson.dumps(form))
    db.execute(sa.text("UPDATE fold_snapshots SET body = :b"), {"b": changed})


def setting(assignment: str, **values: Any) -> Callable[[sa.Connection], None]:
    def change(db: sa.Connection) -> None:
        assert db.execute(sa.text(f"UPDATE fold_snapshots SET {assignment}"), values).rowcount == 1

    return change


TAMPERING: dict[str, Callable[[sa.Connection], None]] = {
    "body changed": new_body,
    "hash not the chain's": setting("hash = :h", h="0" * 64),
    "body unreadable": setting("body = :b", b=b"\x00\xff"),
    "older fold code": setting("code = '0.0.1+old'"),
    "older format": setting("form = 0"),
}


@pytest.mark.usefixtures("keep_every_read")
@pytest.mark.parametrize("how", TAMPERING)
def test_a_tampered_or_stale_snapshot_is_ignored_and_replaced(
    ledger: LedgerStore, how: str, request: pytest.FixtureRequest
) -> None:
    """The read folds from the first event, gives the full fold's figures, and keeps a sound one."""
    day = date(2016, 12, 20)
    full = read(ledger, day, use=False)
    read(ledger, day)
    tamper(request.node.ledger_url, TAMPERING[how])
    seen = started_after(ledger)
    assert_same_read(full, read(ledger, day))
    assert seen == [0], "it folded from the first event"
    found = ledger.fold_snapshot(OPERATION, snapshots.FORM, snapshots.CODE, None)
    assert found is not None
    assert found.hash == ledger.hash_at(found.sequence)
    seen.clear()
    assert_same_read(full, read(ledger, day))
    assert seen == [0, full.provenance.sequence], "the replacement is used"


def test_a_short_read_keeps_no_snapshot(ledger: LedgerStore) -> None:
    """Below KEEP_AFTER events folded, nothing is written beside the ledger."""
    read(ledger, None)
    assert ledger.fold_snapshot(OPERATION, snapshots.FORM, snapshots.CODE, None) is None


def fixed() -> ExportWorld:
    base = world()
    return ExportWorld(base.scenario_of, base.gazetteer_of, base.resolve, SteppingClock(GENERATED))


def exports(store: LedgerStore, folder: Path) -> dict[str, bytes]:
    """Every HXL table, the map and the 20 Dec report, as a coordinator gets them."""
    out: dict[str, bytes] = {}
    for name in TABLES:
        path = folder / f"{name}.csv"
        write_hxl(hxl_export(store, OPERATION, name, AccessRole.COORDINATOR, fixed()).table, path)
        out[name] = path.read_bytes()
    out["map"] = geojson_bytes(
        geojson_export(store, OPERATION, AccessRole.COORDINATOR, fixed()).collection
    )
    report = sitrep_for(store, OPERATION, date(2016, 12, 20), AccessRole.COORDINATOR, fixed())
    out["sitrep"] = sitrep_html(report).encode()
    return out


def test_exports_from_snapshots_are_byte_for_byte_those_of_a_full_fold(
    ledger: LedgerStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """HXL tables, GeoJSON and the report are the same files with snapshots kept and used."""
    before = exports(ledger, tmp_path)
    assert ledger.fold_snapshot(OPERATION, snapshots.FORM, snapshots.CODE, None) is None
    monkeypatch.setattr(reading, "KEEP_AFTER", 1)
    exports(ledger, tmp_path)  # keeps snapshots at the head and at the end of 20 Dec
    assert ledger.fold_snapshot(OPERATION, snapshots.FORM, snapshots.CODE, None) is not None
    assert exports(ledger, tmp_path) == before
