"""Redaction: the last filter every response, export and stream event passes.

Endpoints build their answer as plain JSON values; before it leaves, it goes
through `redact` for the caller's role. Roles without the right to personal
data get every identifying field removed, however deep it sits, so a field
added later to some response cannot leak by forgetting a check.

Free text people write (an incident's `note`, a claim's `source`, a halt's
or turn-back's `reason`, an alert's `explanation`) can name anyone, so it
goes only to roles with personal-data rights; the others see one fixed,
non-personal summary in its place. The deal's own sentences (a decision's
`explanation`, a finding's `reason`) are built from the agreement's terms,
not written by anyone, and stay. Decision record 0018.
"""

from __future__ import annotations

from typing import Any

from corridor.domain.event_types import REGISTRY
from corridor.protection.access import AccessRole, sees_personal_data
from corridor.protection.person import PERSONAL_FIELDS

REDACTED = "[withheld]"

PEOPLE_ON_VEHICLES = frozenset({"manifest"})
"""Lists of person ids by vehicle. An id alone names nobody, but which person
rides in which bus is what a party would need to pull someone off it; so
roles without personal-data rights see a boarding's counts, not its ids."""
WITHHELD = PERSONAL_FIELDS | PEOPLE_ON_VEHICLES

FREE_TEXT = frozenset({"note", "source", "reason", "explanation"})
"""Fields holding text a person wrote."""
FREE_TEXT_SUMMARY = REDACTED
"""What roles without personal-data rights see instead of free text: one fixed word."""
DEAL_SENTENCES = frozenset({"allowed", "passed"})
"""Keys that mark a decision or a finding: their reason and explanation are the deal's."""


def _hidden(key: str, item: Any, deal: bool) -> Any:
    if key in WITHHELD:
        return REDACTED
    if key in FREE_TEXT and not deal and isinstance(item, str) and item:
        return FREE_TEXT_SUMMARY
    return strip_personal(item)


def strip_personal(value: Any) -> Any:
    """A copy of a JSON-like value with every personal field withheld."""
    if isinstance(value, dict):
        deal = not DEAL_SENTENCES.isdisjoint(value)
        return {key: _hidden(key, item, deal) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [strip_personal(item) for item in value]
    return value


def redact(value: Any, role: AccessRole) -> Any:
    """`value` as `role` may see it."""
    return value if sees_personal_data(role) else strip_personal(value)


PERSONAL_DATA_EVENTS = frozenset(
    name for name, family in REGISTRY.items() if family == "protection"
)
"""Ledger events about personal data; their free text (a stated purpose, a reason,
the ids a name matched, which ids are one person) may itself identify someone."""
KEPT_OF_PERSONAL_EVENTS = ("operation", "person")


FREE_TEXT_ABOUT_PEOPLE = {"protection-alert-resolved": ("explanation",)}
"""Free text a monitor writes about particular people (who was taken off, who
went to which ambulance): withheld from roles without personal-data rights."""


def redact_event(event_type: str, data: Any, role: AccessRole) -> Any:
    """An event's data as `role` may see it: personal-data events shrink to ids."""
    if sees_personal_data(role):
        return data
    if event_type in PERSONAL_DATA_EVENTS and isinstance(data, dict):
        return {key: data[key] for key in KEPT_OF_PERSONAL_EVENTS if key in data}
    if event_type in FREE_TEXT_ABOUT_PEOPLE and isinstance(data, dict):
        hidden = FREE_TEXT_ABOUT_PEOPLE[event_type]
        data = {key: (REDACTED if key in hidden else value) for key, value in data.items()}
    return strip_personal(data)
