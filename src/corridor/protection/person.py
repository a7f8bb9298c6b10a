"""A person record: the personal data that must never enter the ledger.

Only the vault holds these, encrypted; events and read models carry the
random person id alone. The id is random (not derived from the name), so it
reveals nothing by itself.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from corridor.errors import InvalidInput

PERSONAL_FIELDS = frozenset({"full_name", "date_of_birth", "phone"})
"""Fields that identify a person; liaisons and observers never receive them."""


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

    def __post_init__(self) -> None:
        if not self.id.strip():
            raise InvalidInput("a person record needs an id")
        if not self.full_name.strip():
            raise InvalidInput("a person record needs a name")
        if self.age is not None and not 0 <= self.age <= 130:
            raise InvalidInput(f"age must be between 0 and 130, not {self.age}")
        if self.date_of_birth is not None:
            try:
                date.fromisoformat(self.date_of_birth)
            except ValueError:
                raise InvalidInput("date_of_birth must be an ISO date YYYY-MM-DD") from None

    def to_bytes(self) -> bytes:
        """Canonical JSON, the plaintext the vault encrypts."""
        return json.dumps(asdict(self), sort_keys=True, ensure_ascii=False).encode("utf-8")

    @classmethod
    def from_bytes(cls, data: bytes) -> PersonRecord:
        values: dict[str, Any] = json.loads(data.decode("utf-8"))
        values["vulnerabilities"] = tuple(values.get("vulnerabilities", ()))
        return cls(**values)
