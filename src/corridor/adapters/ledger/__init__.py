"""Ledger stores: in-memory, SQLite and PostgreSQL implementations of `LedgerStore`."""
