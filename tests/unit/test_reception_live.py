"""Reception from the ledger's headcounts: check-ins at shelters, trips on the road, one shape."""

from __future__ import annotations

from corridor.adapters.scenario_file import load_bundled
from corridor.domain.custody import Basis, CustodyBook, counts
from corridor.domain.scenario import Group
from corridor.reception.live import check_ins, from_ledger, on_the_road

C, W = Group.CIVILIANS, Group.WOUNDED_SEATED


def book() -> CustodyBook:
    """Bus 1 arrived at al-Atarib with 40 and 2 wounded; bus 2 left Ramouseh with 30."""
    book = CustodyBook()
    book.register("east-aleppo", "east-aleppo", C, 100)
    book.register("east-aleppo", "east-aleppo", W, 2)
    book.board(
        "bus-1", "east-aleppo", "bus-1", "east-aleppo", counts({C: 40, W: 2}), Basis.COUNT, "m"
    )
    book.depart("bus-1", "east-aleppo", "m")
    book.arrive("bus-1", "atareb", counts({C: 40, W: 2}), "m")
    book.board("bus-2", "east-aleppo", "bus-2", "east-aleppo", counts({C: 30}), Basis.COUNT, "m")
    book.depart("bus-2", "east-aleppo", "m")
    book.record_headcount("bus-2", "ramouseh", counts({C: 30}), "m")
    return book


def test_arrival_counts_at_a_shelter_are_its_check_ins() -> None:
    """The arrived bus counts at al-Atarib; the one on the road does not yet."""
    scenario = load_bundled("east-aleppo-2016")
    assert check_ins(scenario, book().trips.values()) == {"atareb": {C: 40, W: 2}}


def test_a_trip_on_the_road_is_expected_where_there_is_room() -> None:
    """Bus 2, last counted at Ramouseh, is expected at al-Atarib after the road minutes."""
    scenario = load_bundled("east-aleppo-2016")
    trips = book().trips.values()
    road = on_the_road(scenario, trips, check_ins(scenario, trips))
    assert [(r.trip, r.last_site, r.destination) for r in road] == [("bus-2", "ramouseh", "atareb")]
    assert road[0].minutes == 20 + 29 + 37  # ramouseh-rashidin-khan-al-asal-atareb


def test_the_ledger_forecast_has_check_ins_now_and_the_road_later() -> None:
    """Hour 0 holds the 42 checked in; the 30 on the road fall in hour 2 (86 minutes)."""
    scenario = load_bundled("east-aleppo-2016")
    forecast = from_ledger(scenario, book().trips.values(), "2016-12-15T18:00")
    atareb = forecast.sites.index("atareb")
    assert forecast.p50[atareb, 0].sum() == 42
    assert forecast.p50[atareb, 2].sum() == 30
    assert forecast.total() == 72
    assert forecast.hour_time(2).isoformat() == "2016-12-15T20:00:00"
