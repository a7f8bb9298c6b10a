"""Damaging a stored ledger behind the store's back, the way an intruder would.

The events table refuses UPDATE and DELETE through triggers, so the SQL here
first removes that guard, as someone with the database file or a superuser
login could. Each `how` matches `ledger_contract.TAMPERING`.
"""

from __future__ import annotations

import sqlalchemy as sa

from corridor.adapters.ledger.postgres import sqlalchemy_url

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
