"""Bulk import, duplicate candidates and decisions on real SQLite and PostgreSQL.

An import is one command (all rows or none), the cross-script pair of one
person is proposed with its reasons, merges and keep-aparts are ledger
events by id and are reversed by later events, and no name reaches the
database in clear.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from corridor.adapters.vault.spreadsheet import read_sheet
from corridor.adapters.vault.store import SqlPersonVault
from corridor.bootstrap import open_store, services_over
from corridor.domain.clock import SteppingClock
from corridor.domain.event_types import PERSON_REGISTERED
from corridor.errors import Forbidden, IntegrityError, InvalidInput, NotFound
from corridor.protection.access import AccessRole, Principal
from corridor.protection.keys import MasterKey
from corridor.services.bus import handle
from corridor.services.commands import OpenOperation
from corridor.services.personal_data import PersonalData
from corridor.services.ports import LedgerStore
from corridor.services.registry import Registry
from tests.support.postgres import find_bindir

OPERATION = "east-aleppo-2016"
RECEPTION = Principal("tok-r", OPERATION, AccessRole.RECEPTION)
MONITOR = Principal("tok-m", OPERATION, AccessRole.MONITOR)
LIAISON = Principal("tok-l", OPERATION, AccessRole.LIAISON)
HEADER = "ref,full_name,sex,birth_year,household,origin,movement\n"
GOOD = HEADER + (
    "FC-1001,محمد أحمد الحلبي,m,1980,hh-1,al-shaar,east-aleppo\n"
    "FC-1001,Mohammed Ahmad Al-Halabi,m,1980,hh-1,al-shaar,east-aleppo\n"
    "FC-1001,فاطمة الحلبي,f,1984,hh-1,al-shaar,east-aleppo\n"
    "FC-2002,Zainab Qassem,f,1990,hh-3,sukkari,east-aleppo\n"
    "FC-3003,Omar Haddad,m,1971,hh-4,sukkari,east-aleppo\n"
)


@dataclass
class World:
    url: str
    ledger: LedgerStore
    vault: SqlPersonVault
    registry: Registry


@pytest.fixture(params=["sqlite", "postgres"])
def world(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[World]:
    """The operation opened on one database of each kind, with a registry over it."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'corridor.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
    ledger = open_store(url)
    handle(services_over(ledger), OpenOperation(OPERATION, OPERATION), "coordinator:test")
    vault = SqlPersonVault(url)
    clock = SteppingClock(datetime(2016, 12, 15, 9, 0, tzinfo=UTC))
    personal = PersonalData(ledger, vault, MasterKey.generate(), clock)
    yield World(url, ledger, vault, Registry(personal, clock))
    vault.close()
    ledger.close()


def _import(world: World, tmp_path: Path, text: str, name: str = "sheet.csv") -> object:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    sheet = read_sheet(path)
    return world.registry.import_rows(
        RECEPTION, OPERATION, sheet.header, sheet.rows, sheet.digest, name
    )


def _registered(world: World) -> list[str]:
    return [e.data()["person"] for e in world.ledger.read() if e.type == PERSON_REGISTERED]


def test_an_import_registers_every_row_with_its_ref_beside_the_id(
    world: World, tmp_path: Path
) -> None:
    """Five rows give five ids in one command; each keeps its row number and family card."""
    result = _import(world, tmp_path, GOOD)
    people = result.people  # type: ignore[attr-defined]
    assert [(p.row, p.ref) for p in people] == [
        (2, "FC-1001"), (3, "FC-1001"), (4, "FC-1001"), (5, "FC-2002"), (6, "FC-3003")
    ]  # fmt: skip
    assert _registered(world) == [p.person for p in people]
    commands = {e.command for e in world.ledger.read() if e.type == PERSON_REGISTERED}
    assert len(commands) == 1
    assert world.vault.count(OPERATION) == 5


def test_importing_the_same_file_again_registers_nobody_twice(world: World, tmp_path: Path) -> None:
    """A retried import returns the first ids and appends nothing."""
    first = _import(world, tmp_path, GOOD)
    events = len(list(world.ledger.read()))
    again = _import(world, tmp_path, GOOD)
    assert again.replayed  # type: ignore[attr-defined]
    assert again.people == first.people  # type: ignore[attr-defined]
    assert len(list(world.ledger.read())) == events
    assert world.vault.count(OPERATION) == 5


def test_bad_rows_are_each_named_by_row_and_field_and_nothing_is_imported(
    world: World, tmp_path: Path
) -> None:
    """Empty name, third script, future birth year and an oversized household: all reported."""
    rows = [
        "A1,,m,1980,h1,x,east-aleppo",
        "A2,Иван Петров,m,1980,h2,x,east-aleppo",
        "A3,Ahmad Saleh,m,2031,h3,x,east-aleppo",
        "A4,Omar,m,1980,h4,x,madaya",
        *[f"B{n},Person Number {chr(65 + n % 26)},f,1990,big,x,east-aleppo" for n in range(41)],
    ]
    before = len(list(world.ledger.read()))
    with pytest.raises(InvalidInput) as refused:
        _import(world, tmp_path, HEADER + "\n".join(rows) + "\n")
    lines = str(refused.value).splitlines()
    assert lines[:4] == [
        "sheet.csv: row 2, full_name: empty; every person needs a name (Arabic or Latin letters)",
        "sheet.csv: row 3, full_name: letters of another script (Cyrillic); "
        "write the name in Arabic or Latin letters",
        "sheet.csv: row 4, birth_year: 2031 is in the future (this year is 2016)",
        "sheet.csv: row 5, movement: no movement 'madaya' in this operation; "
        "known: east-aleppo, foua-kefraya, madaya-zabadani",
    ]
    assert "row 46, household: household 'big' has 41 people in this file (rows 6-46)" in lines[4]
    assert lines[-1] == "nothing was imported (5 problems)"
    assert len(list(world.ledger.read())) == before
    assert world.vault.count(OPERATION) == 0


def test_a_csv_in_another_encoding_is_refused_row_by_row(world: World, tmp_path: Path) -> None:
    """A Windows-Arabic file names each line that is not UTF-8 and stores nothing."""
    path = tmp_path / "cp1256.csv"
    path.write_bytes((HEADER + "FC-1,محمد الحلبي,m,1980,h,x,east-aleppo\n").encode("cp1256"))
    with pytest.raises(InvalidInput) as refused:
        read_sheet(path)
    text = str(refused.value)
    assert "row 2: byte 0x" in text
    assert "row 1:" not in text
    assert "Windows Arabic (cp1256)" in text
    assert world.vault.count(OPERATION) == 0


def test_an_xlsx_sheet_imports_like_a_csv(world: World, tmp_path: Path) -> None:
    """Rows of the first worksheet are read with their spreadsheet row numbers."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for line in GOOD.splitlines():
        cells: list[object] = line.split(",")
        if cells[3] != "birth_year":
            cells[3] = int(str(cells[3]))
        sheet.append(cells)
    book.save(tmp_path / "sheet.xlsx")
    read = read_sheet(tmp_path / "sheet.xlsx")
    assert [number for number, _row in read.rows] == [2, 3, 4, 5, 6]
    result = world.registry.import_rows(
        RECEPTION, OPERATION, read.header, read.rows, read.digest, "sheet.xlsx"
    )
    assert len(result.people) == 5


def test_the_cross_script_pair_is_proposed_with_its_reasons(world: World, tmp_path: Path) -> None:
    """محمد أحمد الحلبي and Mohammed Ahmad Al-Halabi are the one candidate pair."""
    people = _import(world, tmp_path, GOOD).people  # type: ignore[attr-defined]
    found = world.registry.duplicates(RECEPTION, OPERATION)
    assert [(c.left, c.right) for c in found] == [
        tuple(sorted((people[0].person, people[1].person)))
    ]
    pair = found[0]
    assert (pair.left_ref, pair.right_ref) == ("FC-1001", "FC-1001")
    assert pair.weight > 10
    assert any(reason.startswith("first name agrees") for reason in pair.reasons)
    assert any(reason.startswith("family name agrees") for reason in pair.reasons)


def test_only_coordinator_and_reception_see_candidates(world: World, tmp_path: Path) -> None:
    """A monitor and a liaison are refused before any record is read."""
    _import(world, tmp_path, GOOD)
    before = len(list(world.ledger.read()))
    for who in (MONITOR, LIAISON):
        with pytest.raises(Forbidden):
            world.registry.duplicates(who, OPERATION)
    assert len(list(world.ledger.read())) == before


def test_a_merge_is_reversed_by_a_split_and_the_pair_comes_back(
    world: World, tmp_path: Path
) -> None:
    """Merging hides the pair, the ledger keeps both events, reversing proposes it again."""
    people = _import(world, tmp_path, GOOD).people  # type: ignore[attr-defined]
    arabic, latin = people[0].person, people[1].person
    merge = world.registry.merge(RECEPTION, OPERATION, arabic, latin)
    assert world.registry.duplicates(RECEPTION, OPERATION) == []
    with pytest.raises(IntegrityError, match="already merged"):
        world.registry.merge(RECEPTION, OPERATION, people[2].person, latin)
    world.registry.reverse(RECEPTION, OPERATION, merge.id, "two brothers, same name")
    again = world.registry.duplicates(RECEPTION, OPERATION)
    assert [(c.left, c.right) for c in again] == [tuple(sorted((arabic, latin)))]
    kinds = [e.type for e in world.ledger.read() if e.type.startswith("people-")]
    assert kinds == ["people-merged", "people-decision-reversed"]
    with pytest.raises(IntegrityError, match="already reversed"):
        world.registry.reverse(RECEPTION, OPERATION, merge.id, "again")


def test_kept_apart_pairs_are_not_proposed_until_the_decision_is_reversed(
    world: World, tmp_path: Path
) -> None:
    """'Not the same person' settles a pair; reversing it brings the pair back."""
    people = _import(world, tmp_path, GOOD).people  # type: ignore[attr-defined]
    apart = world.registry.keep_apart(RECEPTION, OPERATION, people[1].person, people[0].person)
    assert world.registry.duplicates(RECEPTION, OPERATION) == []
    with pytest.raises(IntegrityError, match="kept apart"):
        world.registry.merge(RECEPTION, OPERATION, people[0].person, people[1].person)
    world.registry.reverse(RECEPTION, OPERATION, apart.id, "checked the family card again")
    assert len(world.registry.duplicates(RECEPTION, OPERATION)) == 1


def test_decisions_name_only_known_ids(world: World, tmp_path: Path) -> None:
    """Merging an id that is not in the vault names it and appends nothing."""
    people = _import(world, tmp_path, GOOD).people  # type: ignore[attr-defined]
    before = len(list(world.ledger.read()))
    with pytest.raises(NotFound, match="people\\[1\\]: no person person-nobody"):
        world.registry.merge(RECEPTION, OPERATION, people[0].person, "person-nobody")
    assert len(list(world.ledger.read())) == before


def test_a_spelling_in_the_other_script_finds_the_person(world: World, tmp_path: Path) -> None:
    """ "Muhammad Ahmed al-Halabi" finds both registrations through keyed name keys."""
    people = _import(world, tmp_path, GOOD).people  # type: ignore[attr-defined]
    found = world.registry.personal.find_spellings(
        RECEPTION, OPERATION, "Muhammad Ahmed al-Halabi", "tracing"
    )
    assert found == sorted([people[0].person, people[1].person])


def test_no_name_and_no_sound_key_is_stored_in_clear(world: World, tmp_path: Path) -> None:
    """The raw database holds neither the names nor their sound keys."""
    _import(world, tmp_path, GOOD)
    secrets = ("Halabi", "الحلبي", "Zainab", "FC-1001", "MHMD", "HLB")
    raw = _database_bytes(world.url)
    for secret in secrets:
        assert secret.encode("utf-8") not in raw, secret


def _database_bytes(url: str) -> bytes:
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
    bindir = find_bindir()
    assert bindir is not None
    user_host, dbname = url.removeprefix("postgresql+psycopg://").split("/", 1)
    user, host_port = user_host.split("@")
    host, port = host_port.split(":")
    runner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    dump = subprocess.run(
        [*runner, str(bindir / "pg_dump"), "-h", host, "-p", port, "-U", user, dbname],
        check=True,
        capture_output=True,
    )
    return dump.stdout


def test_an_import_whose_ledger_append_fails_leaves_no_vault_rows(
    world: World, tmp_path: Path
) -> None:
    """When the events cannot be appended, the vault rows just written are removed again."""
    from corridor.errors import StoreUnavailable

    ledger = world.ledger

    class FailingLedger(type(ledger)):  # type: ignore[misc]
        def append(self, *args: object, **kwargs: object) -> object:
            raise StoreUnavailable("disk full")

    ledger.__class__ = FailingLedger
    try:
        with pytest.raises(StoreUnavailable):
            _import(world, tmp_path, GOOD)
    finally:
        ledger.__class__ = FailingLedger.__mro__[1]
    assert world.vault.count(OPERATION) == 0
    assert _registered(world) == []
