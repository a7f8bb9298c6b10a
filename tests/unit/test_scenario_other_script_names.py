"""Site and movement names in Arabic script: each with its source, checked like other fields."""

from __future__ import annotations

import pytest

from corridor.adapters.scenario_file import load_bundled, parse_scenario
from corridor.errors import InvalidInput
from tests.unit.test_scenario_errors import BASE, SITE_LINE

SOURCED = '{text: "Arabic Wikipedia, title of the article on the place"}'


def _with_island(extra: str) -> str:
    return BASE.replace(SITE_LINE, f"  - {{id: island, name: Island, kinds: [shelter], {extra}}}\n")


def test_a_sourced_arabic_name_reaches_the_site() -> None:
    """name_ar with name_ar_source loads onto the domain site."""
    text = _with_island(f'name_ar: "جزيرة", name_ar_source: {SOURCED}')
    scenario = parse_scenario(text, "case.yaml").scenario
    assert scenario.site("island").name_ar == "جزيرة"
    assert scenario.site("a").name_ar == ""


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        ('name_ar: "جزيرة"', "name_ar_source"),
        (f'name_ar: "Island", name_ar_source: {SOURCED}', "Arabic script"),
        (f'name_ar: "", name_ar_source: {SOURCED}', "name_ar"),
    ],
)
def test_an_unsourced_or_latin_arabic_name_is_refused_at_its_line(extra: str, words: str) -> None:
    """No source, Latin letters or an empty name: a problem on the island's line (line 10)."""
    with pytest.raises(InvalidInput) as caught:
        parse_scenario(_with_island(extra), "case.yaml")
    found = [p for p in caught.value.problems if p.line == 10]
    assert found, caught.value.problems
    assert any(words in f"{p.path} {p.message}" for p in found), found


def test_every_east_aleppo_site_and_movement_has_a_sourced_arabic_name() -> None:
    """The reference scenario names each site and movement in both scripts."""
    scenario = load_bundled("east-aleppo-2016")
    assert all(s.name_ar for s in scenario.sites)
    assert all(m.name_ar for m in scenario.movements)
    assert scenario.site("atareb").name_ar == "الأتارب"
