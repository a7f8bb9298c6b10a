"""Every role against every endpoint; liaisons and observers never see personal data."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from corridor.protection.access import AccessRole
from tests.support.api_world import OPERATION, ApiWorld, api_world

C, M, R, L, OB = (
    AccessRole.COORDINATOR,
    AccessRole.MONITOR,
    AccessRole.RECEPTION,
    AccessRole.LIAISON,
    AccessRole.OBSERVER,
)
EVERYONE = frozenset(AccessRole)
OP = f"/operations/{OPERATION}"
SEEDED_NAME = "Rasha Kamel Nasrallah"
SEEDED_PHONE = "+963933555019"
SEEDED_BIRTH = "1979-11-23"
COUNTS = {"site": "ramouseh", "counts": {"civilians": 5}}
CONVOY_COUNTS = {"site": "ramouseh", "counts": {"bus-c": {"civilians": 5}}}

# (method, path, body, roles allowed): written out by hand, not derived from the
# policy table, so a change to either shows up here.
ENDPOINTS: list[tuple[str, str, Any, frozenset[AccessRole]]] = [
    ("GET", OP, None, EVERYONE),
    ("GET", f"{OP}/custody", None, EVERYONE),
    ("GET", f"{OP}/figures", None, EVERYONE),
    ("GET", f"{OP}/trips", None, EVERYONE),
    ("GET", f"{OP}/trips/bus-1", None, EVERYONE),
    ("GET", f"{OP}/convoys", None, EVERYONE),
    ("GET", f"{OP}/alerts", None, EVERYONE),
    ("GET", f"{OP}/incidents", None, EVERYONE),
    ("GET", f"{OP}/events", None, EVERYONE),
    ("GET", f"{OP}/exports/hxl", None, EVERYONE),
    ("GET", f"{OP}/exports/geojson", None, EVERYONE),
    ("POST", "/operations", {"id": OPERATION, "scenario": "east-aleppo-2016"}, frozenset({C})),
    ("POST", f"{OP}/trips",
     {"trip": "t", "movement": "east-aleppo", "vehicle": "bus-aleppo-depot-3"}, frozenset({C})),
    ("POST", f"{OP}/trips/bus-1/boarding", COUNTS, frozenset({M})),
    ("POST", f"{OP}/trips/bus-1/boarding", {"site": "ramouseh", "manifest": ["person-1"]},
     frozenset({M, R})),
    ("GET", f"{OP}/convoys/convoy-1", None, EVERYONE),
    ("POST", f"{OP}/convoys/convoy-1/depart", {"site": "ramouseh"}, frozenset({C, M})),
    ("POST", f"{OP}/convoys/convoy-1/headcounts", CONVOY_COUNTS, frozenset({M})),
    ("POST", f"{OP}/convoys/convoy-1/halt", {"site": "ramouseh", "reason": "shots"},
     frozenset({C, M})),
    ("POST", f"{OP}/convoys/convoy-1/turn-back", {"site": "ramouseh", "reason": "closed"},
     frozenset({C, M})),
    ("POST", f"{OP}/convoys/convoy-1/arrival", CONVOY_COUNTS, frozenset({M})),
    ("POST", f"{OP}/convoys/convoy-1/close", None, frozenset({C, M})),
    ("POST", f"{OP}/trips/bus-1/depart", {"site": "ramouseh"}, frozenset({C, M})),
    ("POST", f"{OP}/trips/bus-1/headcounts", COUNTS, frozenset({M})),
    ("POST", f"{OP}/trips/bus-1/halt", {"site": "ramouseh", "reason": "shots"}, frozenset({C, M})),
    ("POST", f"{OP}/trips/bus-1/turn-back", {"site": "ramouseh", "reason": "closed"},
     frozenset({C, M})),
    ("POST", f"{OP}/trips/bus-1/arrival", COUNTS, frozenset({M})),
    ("POST", f"{OP}/trips/bus-1/close", None, frozenset({C, M})),
    ("POST", f"{OP}/alerts/bus-1.alert-1/resolve", {"outcome": "recount", "explanation": "x"},
     frozenset({M})),
    ("POST", f"{OP}/claims", {"movement": "east-aleppo", "figure": "arrived", "value": 1,
     "claimant": "party", "by": "p", "source": "s", "stated_at": "2016-12-16T10:00:00Z"},
     frozenset({C, L})),
    ("POST", f"{OP}/incidents", {"kind": "shooting", "severity": 3, "corridor": "ramouseh",
     "site": "rashidin"}, frozenset({C, M, L})),
    ("POST", f"{OP}/incidents/incident-1/verify", None, frozenset({C, M})),
    ("POST", f"{OP}/incidents/incident-1/refute", None, frozenset({C, M})),
    ("POST", f"{OP}/stages", {"movement": "foua-kefraya", "organisation": "icrc", "people": 1},
     frozenset({M})),
    ("POST", f"{OP}/resumes", {"term": "T6", "organisation": "russia"}, frozenset({C, L})),
    ("GET", f"{OP}/decisions", None, EVERYONE),
    ("GET", f"{OP}/agreement", None, EVERYONE),
    ("GET", f"{OP}/reception/occupancy", None, EVERYONE),
    ("GET", f"{OP}/reception/needs", None, EVERYONE),
    ("GET", f"{OP}/reception/check-ins", None, EVERYONE),
    ("POST", f"{OP}/people", {"full_name": "Test Person"}, frozenset({C, M, R})),
    ("GET", f"{OP}/people/person-1?purpose=tracing", None, frozenset({C, M, R})),
    ("POST", f"{OP}/people/lookup", {"full_name": "Test Person", "purpose": "tracing"},
     frozenset({C, M, R})),
    ("POST", f"{OP}/people/person-1/erase", {"reason": "request"}, frozenset({C})),
    ("GET", f"{OP}/people/duplicates", None, frozenset({C, R})),
    ("POST", f"{OP}/people/merge", {"kept": "person-1", "duplicate": "person-2"},
     frozenset({C, R})),
    ("POST", f"{OP}/people/keep-apart", {"people": ["person-1", "person-2"]}, frozenset({C, R})),
    ("POST", f"{OP}/people/decisions/merge-1/reverse", {"reason": "x"}, frozenset({C, R})),
    ("POST", f"{OP}/people/search", {"full_name": "Test Person", "purpose": "tracing"},
     frozenset({C, M, R})),
    ("POST", f"{OP}/tracing", {"full_name": "Test Person"}, frozenset({C, R})),
    ("GET", f"{OP}/tracing/trace-1/matches", None, frozenset({C, R})),
    ("GET", f"{OP}/trips/bus-1/manifest", None, EVERYONE),
    ("GET", f"{OP}/trips/bus-1/manifest.html", None, EVERYONE),
    ("GET", f"{OP}/convoys/convoy-1/manifest", None, EVERYONE),
    ("GET", f"{OP}/convoys/convoy-1/manifest.html", None, EVERYONE),
]  # fmt: skip


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiWorld]:
    """One API with the operation open, trips boarding (one in a convoy, by the seeded person's
    manifest) and a seeded person."""
    path = tmp_path_factory.mktemp("roles") / "corridor.db"
    with api_world(f"sqlite:///{path}") as opened:
        opened.ok(opened.post(C, f"{OP}/trips", {"trip": "bus-1", "movement": "east-aleppo",
                                                 "vehicle": "bus-aleppo-depot-1"}))  # fmt: skip
        opened.ok(opened.post(M, f"{OP}/trips/bus-1/boarding",
                              {"site": "east-aleppo", "counts": {"civilians": 30}}))  # fmt: skip
        person = {
            "full_name": SEEDED_NAME, "phone": SEEDED_PHONE, "date_of_birth": SEEDED_BIRTH,
            "movement": "east-aleppo",
        }  # fmt: skip
        seeded = opened.ok(opened.post(R, f"{OP}/people", person))["person"]
        convoy_trip = {
            "trip": "bus-c", "movement": "east-aleppo", "vehicle": "bus-aleppo-depot-2",
            "convoy": "convoy-1",
        }  # fmt: skip
        opened.ok(opened.post(C, f"{OP}/trips", convoy_trip))
        manifest = {"site": "east-aleppo", "manifest": [seeded]}
        opened.ok(opened.post(M, f"{OP}/trips/bus-c/boarding", manifest))
        yield opened


def _call(world: ApiWorld, role: AccessRole, method: str, path: str, body: Any) -> Any:
    if method == "GET":
        return world.client.get(path, headers=world.headers(role))
    return world.client.post(path, json=body, headers=world.headers(role))


def _seeded(world: ApiWorld) -> str:
    body = {"full_name": SEEDED_NAME, "purpose": "tracing"}
    found: str = world.ok(world.post(C, f"{OP}/people/lookup", body))["people"][0]
    return found


@pytest.mark.parametrize("role", list(AccessRole))
@pytest.mark.parametrize(
    ("method", "path", "body", "allowed"),
    ENDPOINTS,
    ids=[f"{m} {p.removeprefix(OP) or '/'}" for m, p, _, _ in ENDPOINTS],
)
def test_each_role_is_allowed_exactly_where_the_policy_says(
    world: ApiWorld,
    role: AccessRole,
    method: str,
    path: str,
    body: Any,
    allowed: frozenset[AccessRole],
) -> None:
    """Roles outside the endpoint's list get 403; roles inside never do."""
    response = _call(world, role, method, path, body)
    assert response.status_code != 401, response.text
    if role in allowed:
        assert response.status_code != 403, response.text
    else:
        assert response.status_code == 403, response.text
        assert response.json()["ok"] is False


@pytest.mark.parametrize("role", [L, OB])
def test_liaisons_and_observers_never_receive_personal_data(
    world: ApiWorld, role: AccessRole
) -> None:
    """No answer, error or event page shown to them holds the name, even in a stated purpose."""
    person = _seeded(world)
    # A neutral role states a purpose that itself names the person.
    world.ok(world.get(C, f"{OP}/people/{person}", purpose=f"reunite {SEEDED_NAME} with family"))
    paths = [p for m, p, _, _ in ENDPOINTS if m == "GET"]
    paths += [f"{OP}/people/{person}?purpose=checkpoint", f"{OP}/events?limit=1000"]
    seen = "".join(_call(world, role, "GET", p, None).text for p in paths)
    seen += _call(world, role, "POST", f"{OP}/people/lookup",
                  {"full_name": SEEDED_NAME, "purpose": "checkpoint"}).text  # fmt: skip
    for secret in (SEEDED_NAME, "Nasrallah", SEEDED_PHONE, SEEDED_BIRTH):
        assert secret not in seen
    neutral = "".join(_call(world, C, "GET", p, None).text for p in paths)
    assert SEEDED_NAME in neutral, "the same requests by a coordinator do show the record"


def test_a_token_for_another_operation_is_refused(world: ApiWorld) -> None:
    """A coordinator token of this operation may not read another operation."""
    response = world.get(C, "/operations/four-towns-2017")
    assert response.status_code == 403


def test_a_neutral_read_of_a_person_is_audited_with_its_purpose(world: ApiWorld) -> None:
    """A read is audited: who, which record, and why (the why for neutral roles only)."""
    person = _seeded(world)
    record = world.ok(world.get(R, f"{OP}/people/{person}", purpose="family reunion"))
    assert record["full_name"] == SEEDED_NAME
    events = world.ok(world.get(C, f"{OP}/events", limit=1000))
    reads = [e for e in events if e["type"] == "personal-data-read"]
    as_liaison = world.ok(world.get(L, f"{OP}/events", limit=1000))
    assert [e["data"] for e in as_liaison if e["type"] == "personal-data-read"][-1] == {
        "operation": OPERATION, "person": person
    }  # fmt: skip
    assert reads[-1]["data"] == {
        "operation": OPERATION, "person": person, "purpose": "family reunion"
    }  # fmt: skip
    assert reads[-1]["actor"].startswith("reception:")
