"""The access policy: roles scoped to an operation; liaisons never see personal data."""

from __future__ import annotations

import pytest

from corridor.errors import Forbidden
from corridor.protection.access import AccessRole, Permission, Principal, allowed
from corridor.protection.redaction import REDACTED, redact, redact_event

PERSONAL_VIEW = {
    "operation": "aleppo",
    "people": [
        {"id": "person-1", "full_name": "Amal Haddad", "date_of_birth": "1988-03-14"},
        {"id": "person-2", "details": {"phone": "+963 944 000 111", "sex": "male"}},
    ],
}


@pytest.mark.parametrize("role", [AccessRole.LIAISON, AccessRole.OBSERVER])
def test_liaisons_and_observers_get_no_name_birth_date_or_phone(role: AccessRole) -> None:
    """Redaction withholds every personal field, however deeply nested."""
    seen = repr(redact(PERSONAL_VIEW, role))
    for secret in ("Amal", "1988-03-14", "944"):
        assert secret not in seen
    assert seen.count(REDACTED) == 3
    assert "person-2" in seen
    assert "male" in seen


@pytest.mark.parametrize("role", [AccessRole.COORDINATOR, AccessRole.MONITOR, AccessRole.RECEPTION])
def test_neutral_roles_see_the_record_they_asked_for(role: AccessRole) -> None:
    """Coordinator, monitor and reception receive personal fields unchanged."""
    assert redact(PERSONAL_VIEW, role) == PERSONAL_VIEW


@pytest.mark.parametrize("role", list(AccessRole))
@pytest.mark.parametrize("permission", list(Permission))
def test_personal_data_rights_belong_only_to_neutral_roles(
    role: AccessRole, permission: Permission
) -> None:
    """No right over personal data is ever granted to a liaison or observer."""
    personal = permission.value.endswith("-personal")
    if personal and role in (AccessRole.LIAISON, AccessRole.OBSERVER):
        assert not allowed(role, permission)


def test_a_token_for_one_operation_is_refused_on_another() -> None:
    """Tokens are scoped: the right role on the wrong operation is forbidden."""
    principal = Principal("tok-1", "east-aleppo-2016", AccessRole.COORDINATOR)
    principal.require(Permission.MANAGE, "east-aleppo-2016")
    with pytest.raises(Forbidden, match="not valid for that operation"):
        principal.require(Permission.MANAGE, "four-towns-2017")


def test_a_role_without_the_permission_is_refused() -> None:
    """An observer may read but not record a headcount."""
    principal = Principal("tok-2", "op", AccessRole.OBSERVER)
    principal.require(Permission.READ, "op")
    with pytest.raises(Forbidden, match="observer role may not count"):
        principal.require(Permission.COUNT, "op")


@pytest.mark.parametrize("role", list(AccessRole))
def test_personal_data_events_shrink_to_ids_for_roles_without_the_right(role: AccessRole) -> None:
    """A stated purpose that names someone reaches neutral roles only."""
    data = {"operation": "op", "person": "person-1", "purpose": "reunite Amal Haddad"}
    shown = redact_event("personal-data-read", data, role)
    if role in (AccessRole.LIAISON, AccessRole.OBSERVER):
        assert shown == {"operation": "op", "person": "person-1"}
    else:
        assert shown == data


@pytest.mark.parametrize("role", list(AccessRole))
def test_a_monitors_explanation_of_a_drop_reaches_neutral_roles_only(role: AccessRole) -> None:
    """What a monitor wrote about who left a bus is withheld from liaisons and observers."""
    data = {"alert": "bus-1.alert-1", "outcome": "exit", "explanation": "Omar Darwish detained"}
    shown = redact_event("protection-alert-resolved", data, role)
    hidden = role in (AccessRole.LIAISON, AccessRole.OBSERVER)
    assert ("Omar" in repr(shown)) is not hidden
    assert shown["outcome"] == "exit"
