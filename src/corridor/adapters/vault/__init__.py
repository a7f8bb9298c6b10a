"""Storage for personal data and API tokens, beside the ledger in the same database."""
