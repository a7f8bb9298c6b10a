"""How the dashboard's bytes travel: gzip for its pages and files, cache headers for assets."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from corridor.entrypoints.web.delivery import VENDOR_MAX_AGE
from corridor.protection.access import AccessRole
from tests.support.web_world import WebWorld, web_world

PAGE = "/ops/east-aleppo-2016"
GZIP = {"Accept-Encoding": "gzip"}


@pytest.fixture
def world(tmp_path: Path) -> Iterator[WebWorld]:
    with web_world(f"sqlite:///{tmp_path / 'corridor.db'}") as served:
        yield served


def test_the_page_its_panels_and_its_scripts_come_gzipped_to_a_browser_that_asks(
    world: WebWorld,
) -> None:
    """The operation page, the panels a tick fetches and a vendored script are gzip-encoded."""
    client = world.client(AccessRole.COORDINATOR)
    for path in (PAGE, f"{PAGE}/panels", "/static/vendor/leaflet/leaflet.js"):
        answer = client.get(path, headers=GZIP)
        assert answer.status_code == 200, path
        assert answer.headers["content-encoding"] == "gzip", path
        assert answer.num_bytes_downloaded < len(answer.content) / 2, path


def test_the_api_and_the_live_stream_are_not_compressed(world: WebWorld) -> None:
    """API answers keep their encoding; an event stream is never buffered by gzip."""
    client = world.client(AccessRole.COORDINATOR)
    assert "content-encoding" not in client.get("/openapi.json", headers=GZIP).headers
    with client.stream("GET", f"{PAGE}/live", headers=GZIP) as reply:
        assert reply.headers["content-type"].startswith("text/event-stream")
        assert "content-encoding" not in reply.headers


def test_vendored_assets_may_be_kept_a_day_and_the_project_s_own_are_checked_again(
    world: WebWorld,
) -> None:
    """Pinned vendor files carry max-age; dashboard.js asks again and gets a 304 when unchanged."""
    vendored = httpx.get(world.url + "/static/vendor/world-atlas/countries-110m.json")
    assert vendored.headers["cache-control"] == f"public, max-age={VENDOR_MAX_AGE}"
    own = httpx.get(world.url + "/static/dashboard.js")
    assert own.headers["cache-control"] == "no-cache"
    again = httpx.get(
        world.url + "/static/dashboard.js", headers={"If-None-Match": own.headers["etag"]}
    )
    assert again.status_code == 304
