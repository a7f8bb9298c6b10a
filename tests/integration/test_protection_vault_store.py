"""The vault on real databases: sealed rows, audited reads, erasure, nothing in clear.

Each test runs on a SQLite file and on a PostgreSQL database. The grep tests
read the raw SQLite file (with its WAL) and a `pg_dump` of the database and
look for the plaintext of the seeded names: they must not be there.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from corridor.adapters.vault.store import SqlPersonVault, SqlTokenStore
from corridor.bootstrap import open_store
from corridor.domain.event_types import PERSONAL_DATA_READ
from corridor.errors import Forbidden, NotFound, Unauthorized
from corridor.protection.access import AccessRole, Principal
from corridor.protection.keys import MasterKey
from corridor.protection.person import PersonRecord
from corridor.services.access_tokens import authenticate, issue_token, revoke_token
from corridor.services.personal_data import PersonalData
from corridor.services.ports import LedgerStore
from tests.support.postgres import find_bindir

OPERATION = "east-aleppo-2016"
COORDINATOR = Principal("tok-c", OPERATION, AccessRole.COORDINATOR)
RECEPTION = Principal("tok-r", OPERATION, AccessRole.RECEPTION)
MONITOR = Principal("tok-m", OPERATION, AccessRole.MONITOR)
LIAISON = Principal("tok-l", OPERATION, AccessRole.LIAISON)
SEEDED = (
    PersonRecord("x", "Zainab Qassem Al-Hariri", sex="female", age=34, phone="+963944123987"),
    PersonRecord("x", "Yusuf Darwish Mansour", sex="male", date_of_birth="1961-07-02"),
    PersonRecord("x", "عبد الرحمن الحلبي", sex="male", age=9, household="hh-3", consent=True),
)
SECRETS = ("Zainab", "Qassem", "Darwish", "Mansour", "+963944123987", "1961-07-02", "الحلبي")


@dataclass
class Stores:
    url: str
    ledger: LedgerStore
    vault: SqlPersonVault
    tokens: SqlTokenStore
    data: PersonalData


@pytest.fixture(params=["sqlite", "postgres"])
def stores(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Stores]:
    """Ledger, vault and token store on one database of each kind."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'corridor.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
    ledger = open_store(url)
    vault = SqlPersonVault(url)
    tokens = SqlTokenStore(url)
    yield Stores(url, ledger, vault, tokens, PersonalData(ledger, vault, MasterKey.generate()))
    tokens.close()
    vault.close()
    ledger.close()


def _seed(stores: Stores) -> list[str]:
    return [stores.data.register(RECEPTION, OPERATION, record) for record in SEEDED]


def test_a_registered_person_reads_back_and_the_read_is_audited(stores: Stores) -> None:
    """Reading a record returns it and appends who read it and why, by id only."""
    ids = _seed(stores)
    record = stores.data.read(COORDINATOR, OPERATION, ids[0], "family tracing request")
    assert record.full_name == SEEDED[0].full_name
    reads = [e for e in stores.ledger.read() if e.type == PERSONAL_DATA_READ]
    assert [(e.actor, e.data()["person"], e.data()["purpose"]) for e in reads] == [
        (COORDINATOR.actor, ids[0], "family tracing request")
    ]


def test_a_name_is_found_by_its_blind_index(stores: Stores) -> None:
    """Exact lookup ignores case and spacing and finds only that person."""
    ids = _seed(stores)
    assert stores.data.find(RECEPTION, OPERATION, "  yusuf darwish  MANSOUR", "reunion") == [ids[1]]
    assert stores.data.find(RECEPTION, OPERATION, "Yusuf Mansour", "reunion") == []


def test_a_liaison_cannot_read_or_look_up_anyone(stores: Stores) -> None:
    """Personal-data reads are forbidden to liaisons and leave no audit event."""
    ids = _seed(stores)
    before = stores.ledger.head().sequence
    with pytest.raises(Forbidden):
        stores.data.read(LIAISON, OPERATION, ids[0], "checkpoint list")
    with pytest.raises(Forbidden):
        stores.data.find(LIAISON, OPERATION, SEEDED[0].full_name, "checkpoint list")
    assert stores.ledger.head().sequence == before


def test_erasing_a_person_removes_the_row_and_the_ledger_still_verifies(stores: Stores) -> None:
    """After erasure the record is gone, lookups miss it, and verify passes."""
    ids = _seed(stores)
    stores.data.erase(COORDINATOR, OPERATION, ids[2], "request of the person")
    with pytest.raises(NotFound):
        stores.data.read(COORDINATOR, OPERATION, ids[2], "check")
    assert stores.vault.count(OPERATION) == 2
    assert stores.ledger.verify().ok


def test_a_retried_registration_keeps_one_record(stores: Stores) -> None:
    """The same idempotency key twice gives the same id and one vault row."""
    first = stores.data.register(RECEPTION, OPERATION, SEEDED[0], idempotency_key="reg-1")
    again = stores.data.register(RECEPTION, OPERATION, SEEDED[0], idempotency_key="reg-1")
    assert first == again
    assert stores.vault.count(OPERATION) == 1


def test_tokens_authenticate_until_revoked_and_are_stored_only_hashed(stores: Stores) -> None:
    """A token works, is kept only as a hash, and fails once revoked."""
    secret, record = issue_token(stores.tokens, OPERATION, "monitor", "crossing team 1")
    assert authenticate(stores.tokens, secret).role is AccessRole.MONITOR
    assert all(secret not in (r.hash, r.id, r.label) for r in stores.tokens.list())
    revoke_token(stores.tokens, record.id)
    with pytest.raises(Unauthorized, match="unknown or revoked"):
        authenticate(stores.tokens, secret)


def _database_bytes(stores: Stores) -> bytes:
    if stores.url.startswith("sqlite:///"):
        path = Path(stores.url.removeprefix("sqlite:///"))
        return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
    bindir = find_bindir()
    assert bindir is not None
    url = stores.url.removeprefix("postgresql+psycopg://")
    user_host, dbname = url.split("/", 1)
    user, host_port = user_host.split("@")
    host, port = host_port.split(":")
    runner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    dump = subprocess.run(
        [*runner, str(bindir / "pg_dump"), "-h", host, "-p", port, "-U", user, dbname],
        check=True,
        capture_output=True,
    )
    return dump.stdout


def test_a_manifest_opens_many_records_under_one_audit_event(stores: Stores) -> None:
    """One read event names every record; an unknown id is refused before anything is read."""
    ids = _seed(stores)
    with pytest.raises(NotFound, match="person-unknown"):
        stores.data.open_many(MONITOR, OPERATION, [ids[0], "person-unknown"], "boarding manifest")
    assert not [e for e in stores.ledger.read() if e.type == PERSONAL_DATA_READ]
    records = stores.data.open_many(MONITOR, OPERATION, ids, "boarding manifest")
    assert [r.full_name for r in records] == [r.full_name for r in SEEDED]
    reads = [e for e in stores.ledger.read() if e.type == PERSONAL_DATA_READ]
    assert [(e.actor, e.data()["people"], e.data()["purpose"]) for e in reads] == [
        (MONITOR.actor, ids, "boarding manifest")
    ]
    with pytest.raises(Forbidden):
        stores.data.open_many(LIAISON, OPERATION, ids, "boarding manifest")


def test_no_seeded_name_appears_anywhere_in_the_database(stores: Stores) -> None:
    """The raw SQLite file or the pg_dump holds none of the seeded plaintext."""
    ids = _seed(stores)
    stores.data.read(COORDINATOR, OPERATION, ids[0], "tracing")
    stores.data.open_many(MONITOR, OPERATION, ids, "boarding manifest")
    stores.data.find(COORDINATOR, OPERATION, SEEDED[1].full_name, "tracing")
    stores.data.erase(COORDINATOR, OPERATION, ids[1], "request of the person")
    stores.ledger.close()
    raw = _database_bytes(stores)
    assert b"vault_people" in raw or b"person-registered" in raw
    for secret in SECRETS:
        assert secret.encode("utf-8") not in raw, secret
