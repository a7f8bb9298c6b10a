"""A person record: the personal data that must never enter the ledger.

Only the vault holds these, encrypted; events and read models carry the
random person id alone. The id is random (not derived from the name), so it
reveals nothing by itself.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from corridor.errors import InvalidInput

PERSONAL_FIELDS = frozenset({"full_name", "other_name", "date_of_birth", "phone", "ref"})
"""Fields that identify a person; liaisons and observers never receive them.
`ref` is a family card or registration number: it names a family as surely as a name."""
EARLIEST_BIRTH_YEAR = 1880


def new_person_id() -> str:
    return "person-" + secrets.token_hex(12)


@dataclass(frozen=True)
class PersonRecord:
    """Who someone is, as registered with their consent."""

    id: str
    full_name: str
    sex: str = ""
    age: int | None = None
    date_of_birth: str | None = None
    """ISO date `YYYY-MM-DD`."""
    household: str = ""
    vulnerabilities: tuple[str, ...] = field(default=())
    consent: bool = False
    phone: str = ""
    movement: str = ""
    """The movement the person is registered to leave with ("" when not yet known)."""
    other_name: str = ""
    """The same name in the other script (Latin beside Arabic, or Arabic beside Latin)."""
    birth_year: int | None = None
    group: str = ""
    """The group the person belongs to (civilians, wounded-seated, ...), as registered."""
    origin: str = ""
    """Where the person comes from (neighbourhood, village): a matching field."""
    ref: str = ""
    """The registrant's own reference, e.g. a family card number, shown beside the id."""

    def __post_init__(self) -> None:
        if not self.id.strip():
            raise InvalidInput("a person record needs an id")
        if not self.full_name.strip():
            raise InvalidInput("a person record needs a name")
        if self.age is not None and not 0 <= self.age <= 130:
            raise InvalidInput(f"age must be between 0 and 130, not {self.age}")
        if self.birth_year is not None and not EARLIEST_BIRTH_YEAR <= self.birth_year <= 2200:
            raise InvalidInput(f"birth_year {self.birth_year} is not a plausible year")
        if self.date_of_birth is not None:
            try:
                date.fromisoformat(self.date_of_birth)
            except ValueError:
                raise InvalidInput("date_of_birth must be an ISO date YYYY-MM-DD") from None

    def to_bytes(self) -> bytes:
        """Canonical JSON, the plaintext the vault encrypts."""
        # Field by field, not `asdict`: the same JSON (tuples become lists) at a
        # fraction of the cost, which a 35,000-row import pays per row.
        values = {name: getattr(self, name) for name in _FIELD_NAMES}
        return json.dumps(values, sort_keys=True, ensure_ascii=False).encode("utf-8")

    @property
    def year_of_birth(self) -> int | None:
        """The birth year as registered, else the year of the date of birth."""
        if self.birth_year is not None:
            return self.birth_year
        return int(self.date_of_birth[:4]) if self.date_of_birth else None

    @classmethod
    def from_bytes(cls, data: bytes) -> PersonRecord:
        values: dict[str, Any] = json.loads(data.decode("utf-8"))
        values["vulnerabilities"] = tuple(values.get("vulnerabilities", ()))
        return cls(**values)


_FIELD_NAMES = tuple(f.name for f in fields(PersonRecord))
