"""A lost PostgreSQL store is a 503 with Retry-After; a retry with the key tells the truth."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from fastapi.testclient import TestClient

from corridor.entrypoints.api.app import create_app
from corridor.protection.access import AccessRole
from tests.support.api_world import OPERATION, ApiWorld, api_world
from tests.support.postgres import Cluster

C, M = AccessRole.COORDINATOR, AccessRole.MONITOR
OP = f"/operations/{OPERATION}"
COUNT = {"site": "ramouseh", "counts": {"civilians": 30}, "at": "2016-12-15T10:00:00+02:00"}


@contextmanager
def _outage(cluster: Cluster, database: str) -> Iterator[None]:
    """The database refuses connections and every session to it is ended, until the block ends."""
    with psycopg.connect(cluster.dsn(), autocommit=True) as admin:
        admin.execute(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS false')
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
            (database,),
        )
        try:
            yield
        finally:
            admin.execute(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS true')


def _boarded(world: ApiWorld) -> None:
    world.ok(world.post(C, f"{OP}/trips", {"trip": "bus-2", "movement": "east-aleppo",
                        "vehicle": "bus-aleppo-depot-2"}))  # fmt: skip
    world.ok(world.post(M, f"{OP}/trips/bus-2/boarding",
                        {"site": "east-aleppo", "counts": {"civilians": 30}}))  # fmt: skip


def test_an_outage_is_a_503_with_retry_after_and_the_retry_records_once(
    postgres_cluster: Cluster, postgres_url: str
) -> None:
    """During an outage reads and writes get 503 + Retry-After (no exception escapes);
    after it, the retry with the same key records the headcount once."""
    database = postgres_url.rsplit("/", 1)[1]
    with api_world(postgres_url) as world:
        _boarded(world)
        # Every exception that escapes the handlers would be raised here (and
        # logged with a traceback by the server): none may.
        strict = TestClient(create_app(world.context), raise_server_exceptions=True)
        headers = world.headers(M, "count-during-outage")
        with _outage(postgres_cluster, database):
            for _ in range(3):
                lost = strict.post(f"{OP}/trips/bus-2/headcounts", json=COUNT, headers=headers)
                assert lost.status_code == 503, lost.text
                assert lost.headers["Retry-After"].isdigit()
                assert "Idempotency-Key" in lost.json()["error"]
                read = strict.get(f"{OP}/trips", headers=world.headers(M))
                assert read.status_code == 503, read.text
        again = strict.post(f"{OP}/trips/bus-2/headcounts", json=COUNT, headers=headers)
        assert again.status_code == 201, again.text
        twice = strict.post(f"{OP}/trips/bus-2/headcounts", json=COUNT, headers=headers)
        assert twice.json() == again.json()
        counted = [e for e in world.context.ledger.read() if e.type == "headcount-recorded"]
        assert len(counted) == 1
