"""Damaging a stored ledger behind the store's back, the way an intruder would.

The events table refuses UPDATE and DELETE through triggers, so the SQL here
first removes that guard, as someone with the database file or a superuser
login could. Each `how` matches `ledger_contract.TAMPERING`.
"""

from __future__ import annotations

import sqlalchemy as sa

from corridor.adapters.ledger.postgres import sqlalchemy_url
from corridor.adapters.ledger.schema import COLUMNS

UNGUARD = {
    "sqlite": ["DROP TRIGGER events_no_update", "DROP TRIGGER events_no_delete"],
    "postgresql": ["ALTER TABLE events DISABLE TRIGGER events_no_change"],
}

# Far above any test ledger, to move rows without colliding on the primary key.
PARK = 1_000_000

STATEMENTS = {
    "change": [
        "UPDATE events SET payload = '{\"n\":99}' WHERE sequence = 3",
    ],
    "delete": [
        "DELETE FROM events WHERE sequence = 3",
    ],
    "insert": [
        f"UPDATE events SET sequence = sequence + {PARK} WHERE sequence > 3",
        f"UPDATE events SET sequence = sequence - {PARK} + 1 WHERE sequence > {PARK}",
        "INSERT INTO events SELECT 4, stream, 99, type, payload, actor, recorded_at, NULL, 4,"
        " previous_hash, hash FROM events WHERE sequence = 3",
    ],
    "reorder": [
        f"UPDATE events SET sequence = {PARK} WHERE sequence = 3",
        "UPDATE events SET sequence = 3 WHERE sequence = 4",
        f"UPDATE events SET sequence = 4 WHERE sequence = {PARK}",
    ],
}


def tamper_sql(url: str, how: str) -> None:
    """Apply the damage named `how` to the ledger database at `url`."""
    engine = sa.create_engine(sqlalchemy_url(url), poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as connection:
            for statement in UNGUARD[connection.dialect.name] + STATEMENTS[how]:
                connection.exec_driver_sql(statement)
    finally:
        engine.dispose()


def run_sql(url: str, *statements: str) -> None:
    """Run raw statements against a ledger database, guard removed."""
    engine = sa.create_engine(sqlalchemy_url(url), poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as connection:
            for statement in UNGUARD[connection.dialect.name] + list(statements):
                connection.exec_driver_sql(statement)
    finally:
        engine.dispose()


def delete_last(url: str, count: int) -> None:
    """Cut the newest `count` rows: what is left is still a sound chain."""
    run_sql(
        url, f"DELETE FROM events WHERE sequence > (SELECT MAX(sequence) - {count} FROM events)"
    )


def delete_all(url: str) -> None:
    """Empty the ledger: an empty chain is sound too."""
    run_sql(url, "DELETE FROM events")


def rewrite_from(url: str, first: int) -> None:
    """Change the payload at `first` and re-seal it and every later row with fresh hashes."""
    from dataclasses import replace

    from corridor.bootstrap import open_existing_store
    from corridor.domain.chain import GENESIS_HASH, event_hash

    with open_existing_store(url) as store:
        events = list(store.read())
    previous = events[first - 2].hash if first > 1 else GENESIS_HASH
    forged = []
    for event in events[first - 1 :]:
        payload = '{"n":99}' if event.sequence == first else event.payload
        draft = replace(event, payload=payload, previous_hash=previous, hash="")
        sealed = replace(draft, hash=event_hash(draft))
        forged.append(sealed.row())
        previous = sealed.hash
    engine = sa.create_engine(sqlalchemy_url(url), poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as connection:
            for statement in UNGUARD[connection.dialect.name]:
                connection.exec_driver_sql(statement)
            connection.exec_driver_sql(f"DELETE FROM events WHERE sequence >= {first}")
            marks = ", ".join(f":c{i}" for i in range(11))
            for row in forged:
                connection.execute(
                    sa.text(f"INSERT INTO events ({COLUMNS}) VALUES ({marks})"),
                    {f"c{i}": value for i, value in enumerate(row)},
                )
    finally:
        engine.dispose()


def forge_append(url: str) -> None:
    """Append a well-sealed event with the project's own code, as anyone with the file can."""
    from corridor.bootstrap import open_existing_store
    from corridor.domain.events import NewEvent

    with open_existing_store(url) as store:
        store.append([NewEvent("operation/a", "note-recorded", {"n": 1000})], actor="forger")
