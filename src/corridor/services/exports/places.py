"""Where things are: a site's name, WGS84 position and administrative area (P-codes).

Information managers join tables on P-codes, the codes of OCHA's Common
Operational Datasets for administrative areas. Every site's governorate
comes from a gazetteer keyed by site id (the exports adapter ships one per
bundled scenario); a reception site's own finer code is in the scenario
(`reception.pcode`), and `admin_codes` reads the district and sub-district
from it. A site without an entry is exported with empty codes rather than a
guess.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from corridor.domain.scenario import Scenario, Site


@dataclass(frozen=True)
class AdminArea:
    """A site's country and first-level administrative area, by P-code and name."""

    country: str
    """ISO 3166-1 alpha-3, as HXL's `#country+code`."""
    adm1_code: str
    adm1_name: str


Gazetteer = Mapping[str, AdminArea]
"""Site id -> its administrative area."""

NOWHERE = AdminArea("", "", "")


@dataclass(frozen=True)
class Place:
    id: str
    name: str
    lat: float | None
    lon: float | None
    approximate: bool
    area: AdminArea


class Places:
    """Sites of a scenario with their positions and areas, looked up by id."""

    def __init__(self, scenario: Scenario, gazetteer: Gazetteer) -> None:
        self.scenario = scenario
        self._places = {site.id: _place(site, gazetteer) for site in scenario.sites}

    def __getitem__(self, site: str) -> Place:
        found = self._places.get(site)
        if found is None:
            return Place(site, site, None, None, False, NOWHERE)
        return found


def _place(site: Site, gazetteer: Gazetteer) -> Place:
    where = site.coordinates
    return Place(
        site.id,
        site.name,
        where.lat if where else None,
        where.lon if where else None,
        where.approximate if where else False,
        gazetteer.get(site.id, NOWHERE),
    )


def admin_codes(pcode: str | None) -> tuple[str, str]:
    """The district (admin 2) and sub-district (admin 3) codes a P-code names, "" where it
    stops above them: Syria's COD-AB codes grow by two digits a level (SY07, SY0703,
    SY070301)."""
    code = pcode or ""
    if len(code) < 6:
        return "", ""
    return code[:6], code[:8] if len(code) >= 8 else ""
