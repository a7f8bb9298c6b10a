"""Adapters: ledger stores, scenario files, exports and reports."""
