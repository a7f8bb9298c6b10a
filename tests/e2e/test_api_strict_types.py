"""Strict types at the edge: lax values and times at the calendar's edge are a 422, never a 500."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from corridor.protection.access import AccessRole
from tests.support.api_world import OPERATION, ApiWorld, api_world

C, M, L = AccessRole.COORDINATOR, AccessRole.MONITOR, AccessRole.LIAISON
OP = f"/operations/{OPERATION}"
EDGES = ["9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59", "9999-12-31T23:59:59Z"]


@pytest.fixture
def world(tmp_path: Path) -> Iterator[ApiWorld]:
    """The API with one trip boarded and one convoy of it, on a fresh SQLite file."""
    with api_world(f"sqlite:///{tmp_path / 'corridor.db'}") as opened:
        opened.ok(opened.post(C, f"{OP}/trips", {"trip": "bus-2", "movement": "east-aleppo",
                  "vehicle": "bus-aleppo-depot-2", "convoy": "convoy-1"}))  # fmt: skip
        opened.ok(opened.post(M, f"{OP}/trips/bus-2/boarding",
                  {"site": "east-aleppo", "counts": {"civilians": 30}}))  # fmt: skip
        yield opened


def _refused_at_the_door(world: ApiWorld, path: str, body: Any) -> None:
    head = world.context.ledger.head().sequence
    answer = world.post(M, path, body)
    assert answer.status_code == 422, (body, answer.status_code, answer.text)
    assert world.context.ledger.head().sequence == head


@pytest.mark.parametrize("edge", EDGES)
def test_a_time_at_the_calendars_edge_is_refused_on_every_timed_command(
    world: ApiWorld, edge: str
) -> None:
    """Depart, convoy depart and headcount with `at` near year 1 or 9999: 422, nothing appended."""
    _refused_at_the_door(world, f"{OP}/trips/bus-2/depart", {"site": "east-aleppo", "at": edge})
    _refused_at_the_door(
        world, f"{OP}/convoys/convoy-1/depart", {"site": "east-aleppo", "at": edge}
    )
    counted = {"site": "ramouseh", "counts": {"civilians": 30}, "at": edge}
    _refused_at_the_door(world, f"{OP}/trips/bus-2/headcounts", counted)


@pytest.mark.parametrize("count", [True, "38", 38.0, None])
def test_a_count_that_is_not_a_json_integer_is_refused(world: ApiWorld, count: Any) -> None:
    """`true`, `"38"` and `38.0` are not counts: a headcount naming one is a 422."""
    body = {"site": "ramouseh", "counts": {"civilians": count}}
    _refused_at_the_door(world, f"{OP}/trips/bus-2/headcounts", body)


@pytest.mark.parametrize("at", [1481788800, 1481788800.5])
def test_a_number_is_not_a_time(world: ApiWorld, at: Any) -> None:
    """An epoch number as `at` is refused; times are ISO 8601 strings with an offset."""
    body = {"site": "ramouseh", "counts": {"civilians": 30}, "at": at}
    _refused_at_the_door(world, f"{OP}/trips/bus-2/headcounts", body)


def test_a_severity_given_as_text_is_refused(world: ApiWorld) -> None:
    """An incident's severity "3" (a string) is refused, not read as 3."""
    body = {"kind": "shooting", "severity": "3", "corridor": "ramouseh", "site": "rashidin"}
    head = world.context.ledger.head().sequence
    assert world.post(L, f"{OP}/incidents", body).status_code == 422
    assert world.context.ledger.head().sequence == head


@pytest.mark.parametrize("last_id", ["²", "1²", "-1", "1" * 40])
def test_a_last_event_id_that_is_not_ascii_digits_is_refused(world: ApiWorld, last_id: str) -> None:
    """`Last-Event-ID: ²` (a digit to str.isdigit, not to int) is a 422, not a 500."""
    headers = {**world.headers(L), "Last-Event-ID": last_id.encode()}
    answer = world.client.get(f"{OP}/stream", headers=headers)
    assert answer.status_code == 422, answer.text
