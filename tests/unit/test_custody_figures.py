"""Figures with sources: the ledger's count beside each claim, with the difference."""

from __future__ import annotations

from corridor.domain.custody import Basis, CustodyBook, counts
from corridor.domain.figures import Claimant, ClaimRecorded, Figure, side_by_side
from corridor.domain.scenario import Group
from tests.support.custody_world import WORLD, vehicle


def test_claims_sit_beside_the_ledger_count_with_their_difference() -> None:
    """A party's higher claim shows its source, time and how far it is from the ledger."""
    book = CustodyBook(WORLD)
    book.register("east-aleppo", "east-aleppo", Group.CIVILIANS, 100)
    book.board(
        "bus-1",
        "east-aleppo",
        vehicle("bus-1"),
        "east-aleppo",
        counts({Group.CIVILIANS: 40}),
        Basis.COUNT,
        "m",
    )
    book.arrive("bus-1", "atareb", counts({Group.CIVILIANS: 40}), "m")
    claims = [
        ClaimRecorded(
            "east-aleppo",
            Figure.ARRIVED,
            55,
            Claimant.PARTY,
            "party-a",
            "press",
            "2016-12-16T10:00",
        ),
        ClaimRecorded(
            "east-aleppo", Figure.ARRIVED, 40, Claimant.AGENCY, "icrc", "sitrep", "2016-12-16T09:00"
        ),
    ]
    views = {v.figure: v for v in side_by_side(book.tallies(), claims, ["east-aleppo"])}
    arrived = views[Figure.ARRIVED]
    assert arrived.ledger == 40
    assert [(c.by, c.value, c.difference) for c in arrived.claims] == [
        ("icrc", 40, 0),
        ("party-a", 55, 15),
    ]
    assert views[Figure.WAITING].ledger == 60
    assert views[Figure.WAITING].claims == ()
