"""`GET /operations/{op}/exports/{kind}` over a served API: media types, roles, errors."""

from __future__ import annotations

import io
from collections.abc import Iterator

import hxl
import pytest
from fastapi.testclient import TestClient
from geojson_pydantic import FeatureCollection

from corridor.entrypoints.api.app import create_app
from corridor.entrypoints.api.context import open_context
from corridor.protection.access import AccessRole
from corridor.protection.keys import MasterKey
from corridor.services.access_tokens import issue_token
from tests.support.api_world import ApiWorld
from tests.support.export_world import OPERATION, PERSON, SEEDED_NAMES, seed

BASE = f"/operations/{OPERATION}/exports"


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiWorld]:
    url = seed(tmp_path_factory.mktemp("api") / "ledger.db")
    context = open_context(url, MasterKey.generate())
    tokens = {
        role: issue_token(context.tokens, OPERATION, role, f"{role} desk")[0] for role in AccessRole
    }
    with TestClient(create_app(context), raise_server_exceptions=False) as client:
        yield ApiWorld(client, context, tokens)
    context.close()


def test_hxl_is_served_as_csv_that_libhxl_reads(api: ApiWorld) -> None:
    """text/csv with a download name; libhxl finds the tag row and the movements."""
    response = api.get(AccessRole.LIAISON, f"{BASE}/hxl", table="custody")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = hxl.data(hxl.input.make_input(io.BytesIO(response.content)))
    assert {row.get("#activity+code") for row in rows} == {
        "east-aleppo",
        "foua-kefraya",
        "madaya-zabadani",
    }


def test_geojson_is_served_as_geo_json(api: ApiWorld) -> None:
    """application/geo+json that validates as a feature collection."""
    response = api.get(AccessRole.OBSERVER, f"{BASE}/geojson")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/geo+json"
    FeatureCollection.model_validate_json(response.content)


@pytest.mark.parametrize("role", [AccessRole.LIAISON, AccessRole.OBSERVER])
@pytest.mark.parametrize("table", ["figures", "custody", "trips", "incidents", "claims", "sites"])
def test_a_liaison_or_observer_download_names_nobody(
    api: ApiWorld, role: AccessRole, table: str
) -> None:
    """No seeded name, note or manifest id in any table or the map for aggregate roles."""
    texts = [api.get(role, f"{BASE}/hxl", table=table).text, api.get(role, f"{BASE}/geojson").text]
    for text in texts:
        for secret in (*SEEDED_NAMES, PERSON, "saw shots"):
            assert secret not in text


def test_a_coordinator_download_keeps_the_incident_note(api: ApiWorld) -> None:
    """The neutral role's incidents table has the note the others do not get."""
    text = api.get(AccessRole.COORDINATOR, f"{BASE}/hxl", table="incidents").text
    assert "Abu Hassan saw shots at the second bus" in text


@pytest.mark.parametrize(
    ("path", "params", "status"),
    [
        (f"{BASE}/xlsx", {}, 422),
        (f"{BASE}/hxl", {"table": "people"}, 422),
        (f"{BASE}/hxl", {"day": "2016-11-30"}, 422),
        (f"{BASE}/hxl", {"day": "yesterday"}, 422),
        ("/operations/elsewhere/exports/hxl", {}, 403),
    ],
)
def test_bad_requests_get_the_one_error_shape(
    api: ApiWorld, path: str, params: dict[str, str], status: int
) -> None:
    """Unknown kind or table, a day outside the operation, another operation: refused."""
    response = api.get(AccessRole.COORDINATOR, path, **params)
    assert response.status_code == status, response.text
    assert response.json()["ok"] is False


def test_a_day_download_stops_at_that_day(api: ApiWorld) -> None:
    """figures for 16 Dec have no row after that day."""
    response = api.get(AccessRole.OBSERVER, f"{BASE}/hxl", day="2016-12-16")
    rows = hxl.data(hxl.input.make_input(io.BytesIO(response.content)))
    assert max(row.get("#date") for row in rows) == "2016-12-16"
