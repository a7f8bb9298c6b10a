"""The dashboard's download links: each one followed, its content type checked, per role."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from corridor.protection.access import AccessRole
from tests.support.web_world import SEEDED_NAME, SEEDED_NOTE, SEEDED_SOURCE, WebWorld, web_browser

TYPES = {"hxl": "text/csv", "geojson": "application/geo+json", "sitrep": "text/html"}


@pytest.fixture
def served(tmp_path: Path, chromium: Path) -> Iterator[tuple[WebWorld, Browser]]:
    with web_browser(f"sqlite:///{tmp_path / 'corridor.db'}", chromium) as opened:
        yield opened


@pytest.mark.parametrize("role", [AccessRole.COORDINATOR, AccessRole.LIAISON])
def test_every_download_link_answers_its_format_and_a_liaisons_carries_no_seeded_name(
    served: tuple[WebWorld, Browser], role: AccessRole
) -> None:
    """Six HXL tables, GeoJSON and the sitrep: 200, the right type; no name for a liaison."""
    world, browser = served
    page = world.page(browser)
    world.sign_in(page, role)
    links = page.eval_on_selector_all(
        "#panel-downloads a[download]", "as => as.map(a => [a.dataset.kind, a.href])"
    )
    assert sorted({kind for kind, _ in links}) == sorted(TYPES)
    assert len(links) == 8
    for kind, href in links:
        answer = page.request.get(href)
        assert answer.status == 200, (href, answer.text())
        assert answer.headers["content-type"].startswith(TYPES[kind]), href
        assert answer.headers["content-disposition"].startswith("attachment; filename=")
        body = answer.text()
        assert body
        if role is AccessRole.LIAISON:
            for secret in (SEEDED_NAME, SEEDED_NOTE, SEEDED_SOURCE, "Ahmad", "bakery"):
                assert secret not in body, (href, secret)
    assert world.outside == []


def test_a_download_without_a_session_is_refused(served: tuple[WebWorld, Browser]) -> None:
    """No cookie: 401 and no file."""
    world, browser = served
    page = world.page(browser)
    answer = page.request.get(f"{world.url}/ops/east-aleppo-2016/exports/hxl?table=trips")
    assert answer.status == 401
    assert "attachment" not in answer.headers.get("content-disposition", "")
