"""Alembic environment: runs revisions on the connection the caller passes in.

`corridor.adapters.ledger.migrate` builds the Alembic config in code and puts
an open SQLAlchemy connection in `config.attributes["connection"]`; there is
no URL or ini file here, so migrations run the same under tests, the CLI and
servers.
"""

from __future__ import annotations

from alembic import context

from corridor.adapters.ledger.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through corridor.adapters.ledger.migrate")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
