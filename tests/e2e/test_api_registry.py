"""Duplicates through the API: reception reviews, merges and splits; a liaison sees only counts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

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
OP = f"/operations/{OPERATION}"
PEOPLE = (
    {"full_name": "محمد أحمد الحلبي", "sex": "male", "birth_year": 1980, "household": "hh-1",
     "origin": "al-shaar", "ref": "FC-1001"},
    {"full_name": "Mohammed Ahmad Al-Halabi", "sex": "male", "birth_year": 1980,
     "household": "hh-1", "origin": "al-shaar", "ref": "FC-1001"},
    {"full_name": "Zainab Qassem", "sex": "female", "birth_year": 1990, "origin": "sukkari"},
)  # fmt: skip
NAMES = ("الحلبي", "Halabi", "Zainab", "FC-1001")


@pytest.fixture
def world(tmp_path: Path) -> Iterator[ApiWorld]:
    """The API on a fresh SQLite file with the operation open and three people registered."""
    with api_world(f"sqlite:///{tmp_path / 'corridor.db'}") as opened:
        for body in PEOPLE:
            opened.ok(opened.post(R, f"{OP}/people", {**body, "movement": "east-aleppo"}))
        yield opened


def _people(world: ApiWorld) -> list[str]:
    events = world.ok(world.get(C, f"{OP}/events"))
    return [e["data"]["person"] for e in events if e["type"] == "person-registered"]


def test_reception_sees_the_cross_script_pair_with_weight_and_reasons(world: ApiWorld) -> None:
    """The Arabic and Latin registrations of one man are the one candidate, refs beside ids."""
    arabic, latin, _other = _people(world)
    found = world.ok(world.get(R, f"{OP}/people/duplicates"))["candidates"]
    assert [(c["left"], c["right"]) for c in found] == [tuple(sorted((arabic, latin)))]
    assert (found[0]["left_ref"], found[0]["right_ref"]) == ("FC-1001", "FC-1001")
    assert found[0]["weight"] > 10
    assert "same sex" not in found[0]["reasons"]
    assert any(reason.startswith("household agrees") for reason in found[0]["reasons"])


@pytest.mark.parametrize("role", [M, L, OB])
def test_other_roles_are_refused_candidates_and_decisions(
    world: ApiWorld, role: AccessRole
) -> None:
    """Monitor, liaison and observer get 403 on every duplicates endpoint."""
    arabic, latin, _other = _people(world)
    assert world.get(role, f"{OP}/people/duplicates").status_code == 403
    merge = {"kept": arabic, "duplicate": latin}
    assert world.post(role, f"{OP}/people/merge", merge).status_code == 403
    apart = {"people": [arabic, latin]}
    assert world.post(role, f"{OP}/people/keep-apart", apart).status_code == 403


def test_a_merge_and_its_split_are_events_a_liaison_sees_without_ids(world: ApiWorld) -> None:
    """Merged then split back by reception; the liaison sees that it happened, not who or why."""
    arabic, latin, _other = _people(world)
    merged = world.ok(world.post(R, f"{OP}/people/merge", {"kept": arabic, "duplicate": latin}))
    assert world.ok(world.get(R, f"{OP}/people/duplicates"))["candidates"] == []
    decision = merged["decision"]
    reverse = {"reason": "two cousins of the same name"}
    world.ok(world.post(R, f"{OP}/people/decisions/{decision}/reverse", reverse))
    assert len(world.ok(world.get(R, f"{OP}/people/duplicates"))["candidates"]) == 1
    seen = world.ok(world.get(L, f"{OP}/events"))
    decisions = [e for e in seen if e["type"].startswith("people-")]
    assert [e["type"] for e in decisions] == ["people-merged", "people-decision-reversed"]
    assert [e["data"] for e in decisions] == [{"operation": OPERATION}] * 2
    text = json.dumps(seen, ensure_ascii=False)
    for secret in ("cousins", *NAMES):
        assert secret not in text


def test_a_decision_on_an_unknown_id_is_refused_and_names_it(world: ApiWorld) -> None:
    """Merging into an id that is not registered is a 404 naming the field and the id."""
    arabic, _latin, _other = _people(world)
    answer = world.post(R, f"{OP}/people/merge", {"kept": arabic, "duplicate": "person-nobody"})
    assert answer.status_code == 404
    assert "people[1]: no person person-nobody" in answer.json()["error"]


def test_a_spelling_in_either_script_finds_the_registrations(world: ApiWorld) -> None:
    """Searching 'Muhammad Ahmed al-Halabi' finds the Arabic and the Latin record."""
    arabic, latin, _other = _people(world)
    body = {"full_name": "Muhammad Ahmed al-Halabi", "purpose": "family tracing"}
    found = world.ok(world.post(R, f"{OP}/people/search", body))["people"]
    assert found == sorted([arabic, latin])
    assert world.post(L, f"{OP}/people/search", body).status_code == 403
