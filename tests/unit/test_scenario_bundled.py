"""The bundled scenarios load, and their figures are the ones their files state."""

from __future__ import annotations

import pytest

from corridor.adapters.scenario_file import (
    bundled_names,
    load_bundled,
    load_bundled_document,
    scenario_digest,
)
from corridor.domain.scenario import Group, Role, SiteKind
from corridor.errors import NotFound


def test_every_bundled_scenario_is_listed() -> None:
    """bundled_names lists the shipped scenarios, and only scenario files."""
    assert bundled_names() == ["east-aleppo-2016", "four-towns-2017", "tiny"]


@pytest.mark.parametrize("name", bundled_names())
def test_every_bundled_scenario_validates(name: str) -> None:
    """Each shipped file passes every check and keeps its name as id."""
    scenario = load_bundled(name)
    assert scenario.id == name
    assert scenario.movements


@pytest.mark.parametrize("name", bundled_names())
def test_every_number_in_a_bundled_scenario_names_its_source(name: str) -> None:
    """Sites, links, capacities, vehicle kinds, fleet and populations all carry a source."""
    s = load_bundled(name)
    carriers = [
        *s.sites,
        *s.links,
        *s.vehicle_kinds,
        *s.fleet,
        *s.populations,
        *(c for site in s.sites for c in site.capacities),
    ]
    unsourced = [c for c in carriers if c.source is None or not c.source.text]
    assert unsourced == []


def test_east_aleppo_moves_the_35000_people_its_file_states() -> None:
    """East Aleppo adds up to ICRC/OCHA's 35,000; Foua/Kefraya and Madaya/Zabadani to the deal's."""
    s = load_bundled("east-aleppo-2016")
    assert s.people("east-aleppo") == 35_000
    assert s.people("foua-kefraya") == 1_250 + 1_250 + 1_500
    assert s.people("madaya-zabadani") == 1_500
    assert s.people("east-aleppo", Group.FIGHTERS) == 7_000
    wounded = s.people("east-aleppo", Group.WOUNDED_STRETCHER) + s.people(
        "east-aleppo", Group.WOUNDED_SEATED
    )
    assert wounded == 811


def test_east_aleppo_has_the_reported_fleet_places_and_roles() -> None:
    """20 buses growing to 50, 13 ambulances, a screened Ramouseh checkpoint, the organisations."""
    s = load_bundled("east-aleppo-2016")
    enclave = [u for u in s.fleet if u.kind == "bus" and u.pickups == ("east-aleppo",)]
    assert [(u.count, u.lead_minutes) for u in enclave] == [(20, 0.0), (30, 5460.0)]
    assert s.vehicles("ambulance") == 13
    burned = [u for u in s.fleet if u.lost_minutes is not None]
    assert [(u.count, u.movements) for u in burned] == [(5, ("foua-kefraya",))]
    assert s.movement("east-aleppo").staging == "rashidin"
    [flow] = s.private_flows
    assert flow.vehicles == 1231
    ramouseh = s.site("ramouseh")
    assert ramouseh.is_a(SiteKind.CHECKPOINT)
    assert ramouseh.service_rate_per_hour is not None
    assert ramouseh.service_rate_per_hour > 0
    roles = {o.id: o.role for o in s.organisations}
    assert {k for k, r in roles.items() if r is Role.GUARANTOR} == {"russia", "turkey", "iran"}
    assert {k for k, r in roles.items() if r is Role.MONITOR} == {"icrc", "sarc", "un-monitors"}
    assert s.corridor("ramouseh").sites[:2] == ("east-aleppo", "ramouseh")
    assert s.movement("foua-kefraya").destinations == ("jibreen",)
    assert s.movement("madaya-zabadani").destinations == ("idlib",)
    assert (s.start, s.timezone) == ("2016-12-15T05:00", "Asia/Damascus")


def test_approximate_places_are_marked_and_surveyed_ones_are_not() -> None:
    """Places set from descriptions say so; those taken from a gazetteer do not."""
    s = load_bundled("east-aleppo-2016")
    approximate = {x.id for x in s.sites if x.coordinates and x.coordinates.approximate}
    assert {"east-aleppo", "ramouseh", "rashidin", "jibreen"} <= approximate
    assert not approximate & {"khan-al-asal", "bab-al-hawa", "foua", "kefraya"}


def test_stretcher_cases_have_beds_and_stretcher_places() -> None:
    """Every movement carrying stretcher cases can reach beds, and some vehicle has stretchers."""
    s = load_bundled("east-aleppo-2016")
    for movement in s.movements:
        if Group.WOUNDED_STRETCHER in movement.groups:
            beds = sum(
                s.site(d).capacity_for(Group.WOUNDED_STRETCHER) for d in movement.destinations
            )
            assert beds >= s.people(movement.id, Group.WOUNDED_STRETCHER)
    assert any(k.stretchers > 0 for k in s.vehicle_kinds)


def test_the_digest_is_stable_and_differs_between_scenarios() -> None:
    """Loading twice gives the same digest; two scenarios give two digests."""
    first = scenario_digest(load_bundled("tiny"))
    assert first == scenario_digest(load_bundled("tiny"))
    assert len(first) == 64
    assert first != scenario_digest(load_bundled("east-aleppo-2016"))


def test_a_bundled_scenario_without_agreement_has_no_raw_section() -> None:
    """Sections that are absent come back as None, not as empty values."""
    doc = load_bundled_document("tiny")
    assert doc.agreement_raw is None
    assert doc.disruption_raw is None


def test_an_unknown_bundled_name_lists_the_known_ones() -> None:
    """NotFound names what exists, so a typo is easy to fix."""
    with pytest.raises(NotFound, match="east-aleppo-2016, four-towns-2017, tiny"):
        load_bundled("east-aleppo")
