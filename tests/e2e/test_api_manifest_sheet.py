"""Printable manifests: names for neutral roles, a count-only sheet for liaisons and observers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from corridor.protection.access import AccessRole
from tests.support.api_world import OPERATION, ApiWorld, api_world
from tests.support.browser import CHROMIUM_FLAGS

C, M, R, L, OB = (
    AccessRole.COORDINATOR,
    AccessRole.MONITOR,
    AccessRole.RECEPTION,
    AccessRole.LIAISON,
    AccessRole.OBSERVER,
)
OP = f"/operations/{OPERATION}"
PEOPLE = (
    {"full_name": "يوسف خالد درويش", "other_name": "Youssef Darwish", "age": 9,
     "vulnerabilities": ["unaccompanied"], "movement": "east-aleppo", "ref": "FC-77"},
    {"full_name": "Zainab Qassem", "sex": "female", "age": 30, "movement": "east-aleppo"},
)  # fmt: skip
SECRETS = ("درويش", "Darwish", "Zainab", "FC-77")


@pytest.fixture
def world(tmp_path: Path) -> Iterator[ApiWorld]:
    """Two people boarded on bus-1 from its manifest."""
    with api_world(f"sqlite:///{tmp_path / 'corridor.db'}") as opened:
        ids = [opened.ok(opened.post(R, f"{OP}/people", body))["person"] for body in PEOPLE]
        plan = {"trip": "bus-1", "movement": "east-aleppo", "vehicle": "bus-aleppo-depot-1"}
        opened.ok(opened.post(C, f"{OP}/trips", plan))
        opened.ok(
            opened.post(M, f"{OP}/trips/bus-1/boarding", {"site": "east-aleppo", "manifest": ids})
        )
        yield opened


def test_a_monitor_gets_the_names_and_the_read_is_audited(world: ApiWorld) -> None:
    """The neutral sheet lists both people with refs; one personal-data-read records it."""
    sheet = world.ok(world.get(M, f"{OP}/trips/bus-1/manifest"))
    assert sheet["names"] is True
    assert sheet["counts"] == {"civilians": 1, "unaccompanied-minors": 1}
    assert sorted(line["full_name"] for line in sheet["people"]) == [
        "Zainab Qassem",
        "يوسف خالد درويش",
    ]
    reads = [e for e in world.ok(world.get(C, f"{OP}/events")) if e["type"] == "personal-data-read"]
    assert reads[-1]["data"]["purpose"] == "printed manifest of bus-1"


@pytest.mark.parametrize("role", [L, OB])
def test_liaisons_and_observers_get_counts_and_no_name_or_id(
    world: ApiWorld, role: AccessRole
) -> None:
    """The count-only sheet and its page carry the counts and nothing that names anyone."""
    before = len(world.ok(world.get(C, f"{OP}/events")))
    sheet = world.ok(world.get(role, f"{OP}/trips/bus-1/manifest"))
    assert (sheet["names"], sheet["people"], sheet["total"]) == (False, [], 2)
    page = world.get(role, f"{OP}/trips/bus-1/manifest.html")
    assert page.status_code == 200
    for secret in (*SECRETS, "person-"):
        assert secret not in page.text
        assert secret not in str(sheet)
    assert "Count-only sheet" in page.text
    assert len(world.ok(world.get(C, f"{OP}/events"))) == before


def test_the_printed_manifest_shows_names_in_both_scripts_in_chromium(
    world: ApiWorld, chromium: Path, tmp_path: Path
) -> None:
    """The page renders offline in Chromium, with the Arabic name and the totals visible."""
    page_file = tmp_path / "manifest.html"
    page_file.write_text(world.get(R, f"{OP}/trips/bus-1/manifest.html").text, encoding="utf-8")
    requested: list[str] = []
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(chromium), args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page()
            page.on("request", lambda request: requested.append(request.url))
            page.goto(page_file.as_uri())
            text = page.inner_text("body")
            pdf = page.pdf(format="A4")
        finally:
            browser.close()
    assert "يوسف خالد درويش" in text
    assert "Youssef Darwish" in text
    assert "Total\t2" in text
    assert pdf.startswith(b"%PDF")
    assert [url for url in requested if not url.startswith(("file:", "data:"))] == []


def test_a_convoy_prints_a_sheet_per_vehicle_and_counts_only_for_a_liaison(
    world: ApiWorld,
) -> None:
    """Both boarded vehicles of a convoy come back; the liaison's page has no name."""
    for trip, body in (("bus-2", PEOPLE[0]), ("bus-3", PEOPLE[1])):
        vehicle = f"bus-aleppo-depot-{trip.removeprefix('bus-')}"
        plan = {"trip": trip, "movement": "east-aleppo", "vehicle": vehicle, "convoy": "c1"}
        world.ok(world.post(C, f"{OP}/trips", plan))
        person = world.ok(world.post(R, f"{OP}/people", {**body, "ref": ""}))["person"]
        boarding = {"site": "east-aleppo", "manifest": [person]}
        world.ok(world.post(M, f"{OP}/trips/{trip}/boarding", boarding))
    neutral = world.ok(world.get(M, f"{OP}/convoys/c1/manifest"))["vehicles"]
    assert [(v["trip"], v["total"], len(v["people"])) for v in neutral] == [
        ("bus-2", 1, 1),
        ("bus-3", 1, 1),
    ]
    page = world.get(L, f"{OP}/convoys/c1/manifest.html")
    assert page.status_code == 200
    assert page.text.count("Count sheet: ") == 2
    for secret in (*SECRETS, "person-"):
        assert secret not in page.text
    assert world.get(L, f"{OP}/convoys/nowhere/manifest").status_code == 404
