"""The GeoJSON export draws in the dashboard's own map library, in Chromium, offline."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from corridor.protection.access import AccessRole
from tests.support.web_world import WebWorld, web_browser

DRAW = """async (href) => {
  const data = await (await fetch(href, {credentials: "same-origin"})).json();
  const box = document.createElement("div");
  box.style.width = "600px"; box.style.height = "400px";
  document.body.appendChild(box);
  const map = L.map(box);
  const drawn = L.geoJSON(data).addTo(map);
  const bounds = drawn.getBounds();
  map.fitBounds(bounds);
  return {
    features: data.features.length,
    placed: data.features.filter(f => f.geometry !== null).length,
    layers: drawn.getLayers().length,
    paths: box.querySelectorAll("path").length,
    markers: box.querySelectorAll(".leaflet-marker-icon").length,
    south: bounds.getSouth(), north: bounds.getNorth(),
    west: bounds.getWest(), east: bounds.getEast(),
  };
}"""


@pytest.fixture
def served(tmp_path: Path, chromium: Path) -> Iterator[tuple[WebWorld, Browser]]:
    with web_browser(f"sqlite:///{tmp_path / 'corridor.db'}", chromium) as opened:
        yield opened


@pytest.mark.parametrize("role", [AccessRole.COORDINATOR, AccessRole.LIAISON])
def test_the_downloaded_geojson_draws_every_placed_feature_on_a_leaflet_map_within_syria(
    served: tuple[WebWorld, Browser], role: AccessRole
) -> None:
    """Each feature with a geometry becomes a Leaflet layer, drawn over northern Syria."""
    world, browser = served
    page = world.page(browser)
    world.sign_in(page, role)
    href = page.get_attribute("#panel-downloads a[data-kind=geojson]", "href")
    assert href
    drawn = page.evaluate(DRAW, href)
    assert drawn["placed"] > 0
    assert drawn["layers"] == drawn["placed"]
    assert drawn["paths"] + drawn["markers"] >= drawn["placed"]
    # The bundled geometry: Damascus countryside (Madaya) up to the Turkish border.
    assert 33.0 < drawn["south"] < drawn["north"] < 37.5
    assert 35.5 < drawn["west"] < drawn["east"] < 38.5
    assert world.outside == []
