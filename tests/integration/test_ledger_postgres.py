"""The PostgreSQL ledger store passes the shared contract on a throwaway server."""

from __future__ import annotations

import itertools

import pytest

from corridor.bootstrap import open_store
from corridor.errors import StoreUnavailable
from corridor.services.ports import LedgerStore
from tests.support.ledger_contract import LedgerStoreContract, StoreFactory, Tamper, clock, fill
from tests.support.postgres import Cluster, create_database
from tests.support.tampering import run_sql, tamper_sql

pytestmark = pytest.mark.postgres

_databases = itertools.count(1)


class TestPostgresLedgerStore(LedgerStoreContract):
    """Contract on PostgreSQL databases."""

    @pytest.fixture
    def new_store(self, postgres_cluster: Cluster) -> StoreFactory:
        def make() -> LedgerStore:
            url = create_database(postgres_cluster, f"ledger_contract_{next(_databases)}")
            return open_store(url, clock())

        return make

    @pytest.fixture
    def tamper(self, postgres_cluster: Cluster) -> Tamper:
        def damage(store: LedgerStore, how: str) -> None:
            tamper_sql(store.description, how)

        return damage


def test_an_unreachable_server_is_store_unavailable_without_the_password() -> None:
    """A refused connection names the URL with the password hidden."""
    with pytest.raises(StoreUnavailable) as raised:
        open_store("postgresql://corridor:s3cret@127.0.0.1:1/ledger")
    assert "s3cret" not in str(raised.value)
    assert "127.0.0.1:1/ledger" in str(raised.value)


def test_events_survive_reopening_and_sql_cannot_edit_them(postgres_url: str) -> None:
    """A second store on the same database sees the events; UPDATE is refused."""
    with open_store(postgres_url, clock()) as store:
        fill(store, 3)
        head = store.head()
    with open_store(postgres_url, clock()) as reopened:
        assert reopened.head() == head
        assert reopened.verify().ok
    import psycopg

    with (
        psycopg.connect(postgres_url.replace("+psycopg", "")) as raw,
        pytest.raises(psycopg.errors.RaiseException, match="append-only"),
    ):
        raw.execute("UPDATE events SET actor = 'x'")
    run_sql(postgres_url, "SELECT 1")


def test_a_lost_session_fails_one_command_and_the_next_reconnects(postgres_url: str) -> None:
    """When the server ends the store's session, one append fails cleanly, then all is well."""
    import psycopg

    from corridor.domain.events import NewEvent

    with open_store(postgres_url, clock()) as store:
        fill(store, 2)
        with psycopg.connect(postgres_url.replace("+psycopg", ""), autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        with pytest.raises(StoreUnavailable):
            store.append([NewEvent("operation/a", "t", {})])
        store.append([NewEvent("operation/a", "t", {})])
        assert store.verify().events == 3
