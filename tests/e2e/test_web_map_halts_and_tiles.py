"""The map draws a halted trip where it halted, and lays online tiles only when told to.

A bus leaves east Aleppo at 10:00 and halts at 10:06 naming no place further
on, so it is on the 13-minute road to Ramouseh, 6/13 of the way; another
halts naming Ramouseh, so it is there. With a tile URL the page asks the
tile host (intercepted here) for tiles, and the Content-Security-Policy names
that host alone; a bad URL stops `corridor serve` at start.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Route
from typer.testing import CliRunner

from corridor.adapters.scenario_file import load_bundled
from corridor.domain.operation import operation_stream
from corridor.entrypoints.cli.main import app
from corridor.protection.access import AccessRole
from tests.support.api_world import OPERATION
from tests.support.web_world import OP, WebWorld, web_browser

C, M, L = AccessRole.COORDINATOR, AccessRole.MONITOR, AccessRole.LIAISON
TILES = "http://tiles.corridor.test:8080/{z}/{x}/{y}.png"
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
OFFLINE_IMAGES = "img-src 'self' data:;"


def _halt(world: WebWorld, trip: str, vehicle: str, site: str) -> None:
    api = world.api
    plan = {"trip": trip, "movement": "east-aleppo", "vehicle": vehicle}
    api.ok(api.post(C, f"{OP}/trips", plan))
    board = {"site": "east-aleppo", "counts": {"civilians": 40}, "at": "2016-12-15T10:00:00+02:00"}
    api.ok(api.post(M, f"{OP}/trips/{trip}/boarding", board))
    leave = {"site": "east-aleppo", "at": "2016-12-15T10:00:00+02:00"}
    api.ok(api.post(M, f"{OP}/trips/{trip}/depart", leave))
    stop = {"site": site, "reason": "checkpoint closed", "at": "2016-12-15T10:06:00+02:00"}
    api.ok(api.post(M, f"{OP}/trips/{trip}/halt", stop))


@pytest.fixture
def served(tmp_path: Path, chromium: Path) -> Iterator[tuple[WebWorld, Browser]]:
    with web_browser(f"sqlite:///{tmp_path / 'corridor.db'}", chromium) as (world, browser):
        _halt(world, "t-road", "bus-aleppo-depot-1", "east-aleppo")
        _halt(world, "t-gate", "bus-aleppo-depot-2", "ramouseh")
        yield world, browser


def _halted(features: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {
        f["properties"]["trip"]: f for f in features if f["properties"]["layer"] == "halted-trip"
    }


def test_a_halted_trip_is_drawn_on_the_road_it_halted_on_and_says_so(
    served: tuple[WebWorld, Browser],
) -> None:
    """t-road is 6/13 of the way to Ramouseh, t-gate at Ramouseh; the popup tells it honestly."""
    world, browser = served
    scenario = load_bundled(OPERATION)
    here, there = (scenario.site(s).coordinates for s in ("east-aleppo", "ramouseh"))
    assert here is not None
    assert there is not None
    (link,) = [k for k in scenario.links if {k.a, k.b} == {"east-aleppo", "ramouseh"}]
    share = 6 / link.minutes
    page = world.page(browser)
    world.sign_in(page, L)
    page.wait_for_selector("#map[data-drawn]")
    features = page.evaluate(f"fetch('/ops/{OPERATION}/map.json').then(r => r.json())")
    halted = _halted(features["features"])
    lon, lat = halted["t-road"]["geometry"]["coordinates"]
    assert lon == pytest.approx(here.lon + (there.lon - here.lon) * share)
    assert lat == pytest.approx(here.lat + (there.lat - here.lat) * share)
    assert halted["t-road"]["properties"]["toward"] == "ramouseh"
    assert halted["t-gate"]["geometry"]["coordinates"] == [there.lon, there.lat]
    on_site = [f["properties"] for f in features["features"] if f["properties"]["layer"] == "trips"]
    assert all(p["stages"].get("halted", 0) == 0 for p in on_site)
    assert page.locator("#map path.halted-trip").count() == 2
    origin, gate = scenario.site("east-aleppo").name, scenario.site("ramouseh").name
    words = halted["t-road"]["properties"]["words"]
    assert words.startswith(f"last counted at {origin}, halted on the road to {gate} since ")
    assert "Dec 15, 2016, 10:06" in words
    assert (
        f"last counted at {origin}, halted at {gate} since"
        in halted["t-gate"]["properties"]["words"]
    )
    page.locator("#map path.halted-trip").first.dispatch_event("click")
    popup = page.inner_text("#map .leaflet-popup-content")
    assert popup.startswith(("t-gate: last counted at", "t-road: last counted at"))
    assert world.outside == []


def test_trips_halted_by_a_verified_incident_are_at_the_incident_only_when_on_their_road(
    served: tuple[WebWorld, Browser],
) -> None:
    """Verifying the Ramouseh shooting: amb-1, heading there, is at it; fk-1 stays on its road."""
    world, browser = served
    api = world.api
    api.ok(api.post(M, f"{OP}/incidents/{world.incident}/verify", {"organisation": "icrc"}))
    halts = [
        e.data()
        for e in api.context.ledger.read(stream=operation_stream(OPERATION))
        if e.type == "trip-halted" and e.data().get("incident") == world.incident
    ]
    assert sorted(h["trip"] for h in halts) == ["amb-1", "fk-1"]
    scenario = load_bundled(OPERATION)
    gate, foua = scenario.site("ramouseh"), scenario.site("foua")
    assert gate.coordinates is not None
    assert foua.coordinates is not None
    page = world.page(browser)
    world.sign_in(page, L)
    page.wait_for_selector("#map[data-drawn]")
    features = page.evaluate(f"fetch('/ops/{OPERATION}/map.json').then(r => r.json())")
    halted = _halted(features["features"])
    assert halted["amb-1"]["geometry"]["coordinates"] == [
        gate.coordinates.lon,
        gate.coordinates.lat,
    ]
    said = halted["amb-1"]["properties"]["words"]
    assert f"halted by incident {world.incident} at {gate.name} since" in said
    assert halted["fk-1"]["properties"]["how"] == "on-link"
    assert halted["fk-1"]["properties"]["last_site"] == "foua"
    assert halted["fk-1"]["geometry"]["coordinates"] != [foua.coordinates.lon, foua.coordinates.lat]
    assert world.outside == []


def test_the_offline_page_allows_images_only_from_itself(
    served: tuple[WebWorld, Browser],
) -> None:
    """Without a tile URL: img-src 'self' data:, no tile layer, nothing asked of outside."""
    world, browser = served
    page = world.page(browser)
    world.sign_in(page, C)
    answer = page.goto(f"{world.url}/ops/{OPERATION}")
    assert answer is not None
    assert OFFLINE_IMAGES in answer.headers["content-security-policy"]
    page.wait_for_selector("#map[data-drawn]")
    assert page.locator("#map .leaflet-tile").count() == 0
    assert world.outside == []


def test_with_a_tile_url_the_page_asks_that_host_alone_for_tiles(
    tmp_path: Path, chromium: Path
) -> None:
    """Tiles come from the given host (intercepted here); the policy names it and no other."""
    asked: list[str] = []
    with web_browser(f"sqlite:///{tmp_path / 'corridor.db'}", chromium, TILES) as (world, browser):
        page = world.page(browser)

        def tile(route: Route) -> None:
            asked.append(route.request.url)
            route.fulfill(status=200, content_type="image/png", body=PIXEL)

        page.route("http://tiles.corridor.test:8080/**", tile)
        world.sign_in(page, C)
        answer = page.goto(f"{world.url}/ops/{OPERATION}")
        assert answer is not None
        policy = answer.headers["content-security-policy"]
        page.wait_for_selector("#map[data-tiles='on'] img.leaflet-tile-loaded")
        assert "img-src 'self' data: http://tiles.corridor.test:8080;" in policy
        assert policy.count("http") == 1
        assert asked
        assert all(
            re.fullmatch(r"http://tiles\.corridor\.test:8080/\d+/\d+/\d+\.png", u) for u in asked
        )
        assert world.outside == []


@pytest.mark.parametrize(
    "url",
    ["ftp://tiles.example.org/{z}/{x}/{y}.png", "https://tiles.example.org/tile.png",
     "https://{s}.tiles.example.org/{z}/{x}/{y}.png", "tiles.example.org/{z}/{x}/{y}"],
)  # fmt: skip
def test_a_bad_tile_url_stops_serve_at_start_naming_the_setting(url: str, tmp_path: Path) -> None:
    """Not http(s), no {z}/{x}/{y}, or an unnamed host: `error:` naming --tile-url, exit 2."""
    result = CliRunner().invoke(
        app, ["serve", "--db", f"sqlite:///{tmp_path / 'none.db'}", "--tile-url", url]
    )
    assert result.exit_code == 2, result.output
    assert result.output.startswith("error: --tile-url"), result.output
    assert not (tmp_path / "none.db").exists()
