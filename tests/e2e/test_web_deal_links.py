"""The deal panel draws each staged link as bars of both sides, recomputed here from the ledger.

Foua/Kefraya leads: its 10 people are dispatched, arrived and confirmed by the
ICRC, while east Aleppo's 3 have arrived and 2 are confirmed. The test adds
up the ledger's own `trip-dispatched` and `stage-confirmed` events, places
them in the bundled agreement's stages with its own arithmetic, and checks
the panel's JSON twin and its bars (as a liaison, in English and Arabic).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from itertools import accumulate
from pathlib import Path
from typing import Any

import pytest
from babel.numbers import format_decimal
from playwright.sync_api import Browser

from corridor.adapters.agreement_file import load_agreement_ref
from corridor.domain.agreement import StagedLink
from corridor.domain.operation import operation_stream
from corridor.protection.access import AccessRole
from tests.support.api_world import OPERATION
from tests.support.web_world import IN_WINDOW, OP, WOUNDED, WebWorld, web_browser

L, M = AccessRole.LIAISON, AccessRole.MONITOR


def _lead(world: WebWorld) -> None:
    """Both seeded trips arrive; the ICRC confirms all 10 of Foua/Kefraya, 2 of east Aleppo's 3."""
    api = world.api
    arrivals = [("fk-1", "jibreen", {"wounded-seated": 10}), ("amb-1", "atareb", WOUNDED)]
    for trip, site, counts in arrivals:
        body = {"site": site, "counts": counts, "at": IN_WINDOW}
        api.ok(api.post(M, f"{OP}/trips/{trip}/arrival", body))
    for movement, people in (("foua-kefraya", 10), ("east-aleppo", 2)):
        body = {"movement": movement, "organisation": "icrc", "people": people, "at": IN_WINDOW}
        api.ok(api.post(M, f"{OP}/stages", body))


@pytest.fixture
def served(tmp_path: Path, chromium: Path) -> Iterator[tuple[WebWorld, Browser]]:
    with web_browser(f"sqlite:///{tmp_path / 'corridor.db'}", chromium) as (world, browser):
        _lead(world)
        yield world, browser


def _from_ledger(world: WebWorld) -> tuple[dict[str, int], dict[tuple[str, str], int]]:
    """People dispatched per movement and confirmed per (movement, monitor), event by event."""
    dispatched: dict[str, int] = {}
    confirmed: dict[tuple[str, str], int] = {}
    for event in world.api.context.ledger.read(stream=operation_stream(OPERATION)):
        data = event.data()
        if event.type == "trip-dispatched":
            people = sum(data["load"].values())
            dispatched[data["movement"]] = dispatched.get(data["movement"], 0) + people
        elif event.type == "stage-confirmed":
            key = (data["movement"], data["monitor"])
            confirmed[key] = confirmed.get(key, 0) + data["people"]
    return dispatched, confirmed


def _expected(world: WebWorld) -> dict[str, dict[str, Any]]:
    """Each staged link's stage and both sides' (done, figure), from the ledger and the file."""
    dispatched, confirmed = _from_ledger(world)
    bars: dict[str, dict[str, Any]] = {}
    for term in load_agreement_ref(OPERATION).agreement.terms:
        if not isinstance(term, StagedLink):
            continue
        ends = [0, *accumulate(s.movement_people for s in term.stages)]
        linked_ends = [0, *accumulate(s.linked_people for s in term.stages)]
        gone = dispatched.get(term.movement, 0)
        stage = next(k for k in range(1, len(ends)) if gone + 1 <= ends[k])
        sure = confirmed.get((term.linked, term.confirmed_by), 0)
        start, end = linked_ends[stage - 1], linked_ends[stage]
        bars[term.id] = {
            "stage": stage,
            "movement": (min(max(gone - ends[stage - 1], 0), ends[stage] - ends[stage - 1]),
                         ends[stage] - ends[stage - 1]),
            "linked": (min(max(sure - start, 0), end - start), end - start),
            "holds": end == start or sure >= end,
        }  # fmt: skip
    return bars


def _keep(shot: Path) -> None:
    keep = os.environ.get("CORRIDOR_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / shot.name)


def test_a_liaison_sees_both_sides_of_each_staged_link_as_the_ledger_adds_them_up(
    served: tuple[WebWorld, Browser], tmp_path: Path
) -> None:
    """JSON twin and bars match the ledger's sums per stage; T9 blocks awaiting Foua/Kefraya."""
    world, browser = served
    expected = _expected(world)
    assert expected["T4"]["movement"] == (10, 1250)  # Foua/Kefraya leads...
    assert expected["T3"]["movement"] == (3, 17500)  # ...east Aleppo follows
    page = world.page(browser)
    world.sign_in(page, L)
    twin = page.evaluate(f"fetch('/ops/{OPERATION}/panels/deal.json').then(r => r.json())")
    shown = {
        k["term"]: {
            "stage": k["stage"],
            "movement": (k["movement"]["done"], k["movement"]["figure"]),
            "linked": (k["linked"]["done"], k["linked"]["figure"]),
            "holds": k["holds"],
        }
        for k in twin["links"]
    }
    assert shown == expected
    for term, bar in expected.items():
        item = page.locator(f"#panel-deal li.link[data-term='{term}']")
        assert ("holding" in (item.get_attribute("class") or "")) is bar["holds"]
        drawn = item.locator("progress").evaluate_all(
            "ps => ps.map(p => [Number(p.value), Number(p.max)])"
        )
        asked = [list(bar[side]) for side in ("movement", "linked") if bar[side][1]]
        assert drawn == asked, term
        for done, figure in asked:
            assert f"{done:,} / {figure:,}" in item.inner_text()
    t9 = page.inner_text("#panel-deal li.link[data-term='T9'] .why")
    assert t9 == (
        "T9 blocks Madaya and Zabadani evacuation: stage 3 needs stage 3 of Foua and Kefraya"
        " evacuation confirmed by icrc; 0 of 1,500 confirmed."
    )
    label = page.locator("#panel-deal li.link[data-term='T4'] progress").first
    assert label.get_attribute("aria-valuetext") == "10 of 1,250 (1%)"
    page.locator("#panel-deal ul.links").screenshot(path=str(tmp_path / "deal-links-en.png"))
    _keep(tmp_path / "deal-links-en.png")
    assert world.outside == []


def test_the_arabic_edition_words_the_links_and_formats_their_figures_in_arabic(
    served: tuple[WebWorld, Browser], tmp_path: Path
) -> None:
    """In Arabic the bars keep their figures and the reasons are Arabic, numbers per locale."""
    world, browser = served
    page = world.page(browser)
    world.to_arabic(page)
    world.sign_in(page, L)
    item = page.locator("#panel-deal li.link[data-term='T4']")
    assert "قائم الآن" in item.inner_text()
    assert f"{format_decimal(1250, locale='ar')}" in item.inner_text()
    assert "يمنع" in page.inner_text("#panel-deal li.link[data-term='T9'] .why")
    page.locator("#panel-deal ul.links").screenshot(path=str(tmp_path / "deal-links-ar.png"))
    _keep(tmp_path / "deal-links-ar.png")
    assert world.outside == []
