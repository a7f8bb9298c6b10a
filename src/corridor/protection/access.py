"""Roles and the access policy: who may do what within one operation.

A token belongs to one operation and carries one role. The policy is one
table from permission to the roles that hold it, so a reviewer can read the
whole of it at once; the API checks every endpoint against it, and tests try
every role against every endpoint.

Liaisons speak for a party or guarantor: they see figures and decisions, and
may report incidents, record claims and resumes, but never see a name, date
of birth or phone number. Observers only read aggregates.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from corridor.errors import Forbidden


class AccessRole(StrEnum):
    COORDINATOR = "coordinator"
    MONITOR = "monitor"
    RECEPTION = "reception"
    LIAISON = "liaison"
    OBSERVER = "observer"


class Permission(StrEnum):
    READ = "read"
    """Operation summary, trips, tallies, incidents, decisions, figures, events."""
    MANAGE = "manage"
    """Open operations, load scenarios, plan and dispatch trips and convoys."""
    COUNT = "count"
    """Board, record checkpoint headcounts and arrivals, resolve protection alerts."""
    BOARD_MANIFEST = "board-manifest"
    """Board a trip from a manifest of person ids (a monitor, or a reception desk)."""
    MOVE = "move"
    """Depart, halt, turn back and close trips."""
    CONFIRM_STAGE = "confirm-stage"
    REPORT_INCIDENT = "report-incident"
    VERIFY_INCIDENT = "verify-incident"
    RECORD_RESUME = "record-resume"
    RECORD_CLAIM = "record-claim"
    READ_PERSONAL = "read-personal"
    """Open a person's record (every read is audited)."""
    WRITE_PERSONAL = "write-personal"
    ERASE_PERSONAL = "erase-personal"
    DEDUPLICATE = "deduplicate"
    """See duplicate candidates with their weights; merge, keep apart, reverse."""
    TRACE = "trace"
    """Open tracing requests and see who may be the person sought."""


_C, _M, _R, _L, _O = (
    AccessRole.COORDINATOR,
    AccessRole.MONITOR,
    AccessRole.RECEPTION,
    AccessRole.LIAISON,
    AccessRole.OBSERVER,
)

POLICY: dict[Permission, frozenset[AccessRole]] = {
    Permission.READ: frozenset({_C, _M, _R, _L, _O}),
    Permission.MANAGE: frozenset({_C}),
    Permission.COUNT: frozenset({_M}),
    Permission.BOARD_MANIFEST: frozenset({_M, _R}),
    Permission.MOVE: frozenset({_C, _M}),
    Permission.CONFIRM_STAGE: frozenset({_M}),
    Permission.REPORT_INCIDENT: frozenset({_C, _M, _L}),
    Permission.VERIFY_INCIDENT: frozenset({_C, _M}),
    Permission.RECORD_RESUME: frozenset({_C, _L}),
    Permission.RECORD_CLAIM: frozenset({_C, _L}),
    Permission.READ_PERSONAL: frozenset({_C, _M, _R}),
    Permission.WRITE_PERSONAL: frozenset({_C, _M, _R}),
    Permission.ERASE_PERSONAL: frozenset({_C}),
    Permission.DEDUPLICATE: frozenset({_C, _R}),
    Permission.TRACE: frozenset({_C, _R}),
}


def allowed(role: AccessRole, permission: Permission) -> bool:
    return role in POLICY[permission]


def sees_personal_data(role: AccessRole) -> bool:
    return allowed(role, Permission.READ_PERSONAL)


@dataclass(frozen=True)
class Principal:
    """Who is calling: a token's id, the operation it is scoped to, its role."""

    token_id: str
    operation: str
    role: AccessRole
    name: str = ""

    @property
    def actor(self) -> str:
        """How the ledger names this caller: role and token id, never a person's name."""
        return f"{self.role}:{self.token_id}"

    def require(self, permission: Permission, operation: str) -> None:
        """Refuse unless this token is for `operation` and its role holds `permission`."""
        if operation != self.operation:
            raise Forbidden("this token is not valid for that operation")
        if not allowed(self.role, permission):
            raise Forbidden(f"the {self.role} role may not {permission}")
