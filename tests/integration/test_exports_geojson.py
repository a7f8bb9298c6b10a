"""GeoJSON exports: valid RFC 7946 (geojson-pydantic), WGS84 lon-lat, every layer present."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from geojson_pydantic import FeatureCollection

from corridor.adapters.exports.geojson_file import write_geojson
from corridor.adapters.scenario_file import load_bundled
from corridor.bootstrap import open_store
from corridor.protection.access import AccessRole
from corridor.services.exports.handlers import geojson_export
from tests.support.export_world import OPERATION, seed, world


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    return seed(tmp_path_factory.mktemp("geojson") / "ledger.db")


def mapped(db: str, tmp_path: Path, role: AccessRole = AccessRole.COORDINATOR) -> Any:
    out = tmp_path / "map.geojson"
    with open_store(db) as store:
        write_geojson(geojson_export(store, OPERATION, role, world()).collection, out)
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.mark.parametrize("role", [AccessRole.COORDINATOR, AccessRole.LIAISON])
def test_the_map_validates_as_a_geojson_feature_collection(
    db: str, tmp_path: Path, role: AccessRole
) -> None:
    """geojson-pydantic accepts the file; it has no `crs` member (RFC 7946 drops it)."""
    document = mapped(db, tmp_path, role)
    FeatureCollection.model_validate(document)
    assert "crs" not in document


def test_positions_are_longitude_then_latitude_of_the_scenario_sites(
    db: str, tmp_path: Path
) -> None:
    """Each site's point is [lon, lat] from the scenario, inside WGS84 bounds."""
    scenario = load_bundled(OPERATION)
    sites = {
        f["properties"]["id"]: f
        for f in mapped(db, tmp_path)["features"]
        if f["properties"]["layer"] == "site"
    }
    for site in scenario.sites:
        assert site.coordinates is not None
        lon, lat = sites[site.id]["geometry"]["coordinates"]
        assert (lon, lat) == (site.coordinates.lon, site.coordinates.lat)
        assert -180 <= lon <= 180
        assert -90 <= lat <= 90


def test_every_layer_is_drawn(db: str, tmp_path: Path) -> None:
    """Sites, links, corridors, convoys on the road and incidents each have features."""
    layers = {f["properties"]["layer"] for f in mapped(db, tmp_path)["features"]}
    assert layers == {"site", "link", "corridor", "convoy", "incident"}


def test_a_corridor_is_a_line_through_its_sites_in_order(db: str, tmp_path: Path) -> None:
    """The Ramouseh corridor's line passes its four sites in the agreed order."""
    scenario = load_bundled(OPERATION)
    (line,) = [
        f
        for f in mapped(db, tmp_path)["features"]
        if f["properties"]["layer"] == "corridor" and f["properties"]["id"] == "ramouseh"
    ]
    expected = []
    for site_id in scenario.corridor("ramouseh").sites:
        where = scenario.site(site_id).coordinates
        assert where is not None
        expected.append([where.lon, where.lat])
    assert line["geometry"] == {"type": "LineString", "coordinates": expected}


def test_a_convoy_on_the_road_stands_at_its_last_counted_site(db: str, tmp_path: Path) -> None:
    """The halted bus is the only trip on the road, with its 40 people, at its last site."""
    convoys = [f for f in mapped(db, tmp_path)["features"] if f["properties"]["layer"] == "convoy"]
    (convoy,) = convoys
    assert convoy["properties"]["trips"] == ["t3"]
    assert convoy["properties"]["people"] == 40
    assert convoy["properties"]["site"] == "east-aleppo"


def test_the_map_names_its_operation_and_ledger_event(db: str, tmp_path: Path) -> None:
    """The collection's `corridor` member holds the operation, last sequence and hash."""
    with open_store(db) as store:
        head = store.head()
    meta = mapped(db, tmp_path)["corridor"]
    assert (meta["operation"], meta["ledger_sequence"], meta["ledger_hash"]) == (
        OPERATION,
        head.sequence,
        head.hash,
    )
