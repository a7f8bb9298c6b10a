"""The deal panel words a paced link's bars and its hold or block in English and Arabic."""

from __future__ import annotations

import re

import pytest

from corridor.domain.agreement import AgreementState
from corridor.domain.agreement.progress import link_progress
from corridor.entrypoints.web.names import Names
from corridor.entrypoints.web.templates import render
from corridor.services.deal_links import link_view
from tests.support.agreement_world import deal, paced, world
from tests.unit.test_agreement_engine import civilians, run


def _panel(north: int, lang: str) -> str:
    state = AgreementState.start(deal(paced()), world())
    state = run(state, civilians("south", 10), civilians("north", north))
    links = [link_view(k) for k in link_progress(state)]
    value = {"agreement": "deal", "guarantors": [], "terms": [], "links": links,
             "dispatched": {}, "registered": {}, "confirmed": {}}  # fmt: skip
    panels = {"deal": value, "incidents": {"may_resume": False}}
    return render(lang, "panels/deal.html", operation="op", panels=panels, csrf="x",
                  errors={}, names=Names.of(None, lang))  # fmt: skip


@pytest.mark.parametrize(("north", "holds"), [(99, True), (100, False)])
def test_a_paced_link_shows_the_ceiling_and_whether_it_holds(north: int, holds: bool) -> None:
    """North against 5 x 10 + 50 = 100: one bar of north against 100, one of south against 200."""
    html = _panel(north, "en")
    assert f'max="100" value="{north}"' in html
    assert 'max="200" value="10"' in html
    if holds:
        assert f"T4 holds: {north} of" in html
    else:
        assert "T4 blocks" in html
        assert "all the 100 allowed by 10 of" in html


def test_the_arabic_paced_link_leaves_no_english_words() -> None:
    """Every sentence of the link in the Arabic edition is Arabic, bar ids and figures aside."""
    html = _panel(100, "ar")
    words = re.sub(r"<[^>]+>", " ", html)
    english = set(re.findall(r"[A-Za-z]{3,}", words)) - {"JSON", "north", "south"}
    assert english == set()
    assert "يمنع" in words
