"""Columns of the HXL tables: a key, a header people read, an HXL hashtag machines join on.

Shared by every table builder, with the provenance every row carries and the
one place rows are scoped to a role: free-text columns only for roles with
personal-data rights, then the API's redaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from corridor.protection.access import AccessRole, sees_personal_data
from corridor.protection.redaction import redact
from corridor.services.exports.reading import OperationRead, Provenance


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    tag: str
    free_text: bool = False
    """Written by a person, may name one: only for roles with personal-data rights."""


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    rows: list[tuple[Any, ...]]


PROVENANCE = (
    Column("operation", "Operation", "#meta+operation+code"),
    Column("ledger_sequence", "Ledger event", "#meta+ledger+sequence"),
    Column("ledger_hash", "Ledger hash", "#meta+ledger+hash"),
    Column("generated_at", "Generated", "#date+generated"),
)

AREA = (
    Column("adm1_code", "Governorate P-code", "#adm1+code"),
    Column("adm1_name", "Governorate", "#adm1+name"),
)


def _provenance(p: Provenance) -> dict[str, Any]:
    return {
        "operation": p.operation,
        "ledger_sequence": p.sequence,
        "ledger_hash": p.hash,
        "generated_at": p.generated_at,
    }


def scoped_table(
    name: str, columns: Sequence[Column], rows: list[dict[str, Any]], read: OperationRead,
    role: AccessRole,
) -> Table:  # fmt: skip
    """Rows as `role` may see them: free-text columns only for neutral roles, then redaction."""
    shown = [c for c in (*columns, *PROVENANCE) if sees_personal_data(role) or not c.free_text]
    stamp = _provenance(read.provenance)
    rows = redact([{**row, **stamp} for row in rows], role)
    return Table(name, tuple(shown), [tuple(row.get(c.key, "") for c in shown) for row in rows])
