"""Boarding by manifest in the domain: each person's group, and the book's checks on ids."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corridor.domain.custody import Basis, CustodyBook, CustodyRefused, TripBoarded, counts
from corridor.domain.custody_codec import event_type, from_payload, to_payload
from corridor.domain.manifest import age_on, group_of, manifest_counts, repeated
from corridor.domain.scenario import Group
from tests.support.custody_world import WORLD, vehicle

C, F, S = Group.CIVILIANS, Group.FIGHTERS, Group.WOUNDED_SEATED
TAGS = [
    "wounded-stretcher", "stretcher", "wounded-seated", "wounded", "unaccompanied",
    "unaccompanied-minor", "fighter", "fighters", "pregnant", "elderly", "disabled",
]  # fmt: skip


@pytest.mark.parametrize(
    ("tags", "age", "group"),
    [
        ((), 30, Group.CIVILIANS),
        (("elderly", "disabled"), 80, Group.CIVILIANS),
        (("wounded-stretcher",), 25, Group.WOUNDED_STRETCHER),
        (("Stretcher",), None, Group.WOUNDED_STRETCHER),
        (("wounded",), 40, Group.WOUNDED_SEATED),
        (("fighter", "wounded-stretcher"), 30, Group.WOUNDED_STRETCHER),
        (("fighter", "wounded"), 30, Group.WOUNDED_SEATED),
        (("fighter",), 30, Group.FIGHTERS),
        (("unaccompanied",), 12, Group.UNACCOMPANIED_MINORS),
        (("unaccompanied",), None, Group.UNACCOMPANIED_MINORS),
        (("unaccompanied",), 18, Group.CIVILIANS),
        (("unaccompanied", "fighter"), 19, Group.FIGHTERS),
        (("unaccompanied", "wounded"), 9, Group.WOUNDED_SEATED),
    ],
)
def test_a_person_boards_in_the_group_their_record_gives(
    tags: tuple[str, ...], age: int | None, group: Group
) -> None:
    """Wounded first, then unaccompanied children, then fighters, else civilians."""
    assert group_of(tags, age) is group


@given(tags=st.lists(st.sampled_from(TAGS), max_size=4), age=st.none() | st.integers(0, 100))
def test_only_a_record_tag_makes_someone_a_fighter_or_wounded(
    tags: list[str], age: int | None
) -> None:
    """Fighters and stretcher cases only by a tag; untagged needs make nobody either."""
    group = group_of(tags, age)
    if group is Group.FIGHTERS:
        assert {"fighter", "fighters"} & set(tags)
    if group is Group.WOUNDED_STRETCHER:
        assert {"wounded-stretcher", "stretcher"} & set(tags)
    assert group_of([t for t in tags if t in ("pregnant", "elderly", "disabled")], age) is C


@given(st.dictionaries(st.text(min_size=1, max_size=8), st.sampled_from(list(Group))))
def test_manifest_counts_hold_each_person_once_in_their_group(groups: dict[str, Group]) -> None:
    """Per group the counts equal the people of that group; in all, the manifest's length."""
    people = dict(manifest_counts(groups))
    assert sum(people.values()) == len(groups)
    for group in Group:
        assert people.get(group, 0) == sum(1 for g in groups.values() if g is group)


@pytest.mark.parametrize(
    ("day", "born", "age"),
    [
        (date(2016, 12, 15), "2000-12-15", 16),
        (date(2016, 12, 15), "2000-12-16", 15),
        (date(2016, 12, 15), "1998-12-14", 18),
    ],
)
def test_age_comes_from_the_date_of_birth_on_the_boarding_day(
    day: date, born: str, age: int
) -> None:
    """A birthday not yet reached that year does not count."""
    assert age_on(day, None, born) == age
    assert age_on(day, 40, born) == 40, "a recorded age is taken as it is"
    assert age_on(day) is None


def test_a_birth_year_alone_gives_the_youngest_age_it_allows() -> None:
    """Born some time in 1998, on 15 Dec 2016 one may still be 17: a child until shown not."""
    day = date(2016, 12, 15)
    assert age_on(day, birth_year=1998) == 17
    assert age_on(day, None, "1998-01-01", birth_year=1998) == 18, "a full date wins"
    assert group_of(["unaccompanied"], age_on(day, birth_year=1998)) is Group.UNACCOMPANIED_MINORS


def test_repeated_names_each_id_given_twice_once() -> None:
    """Ids named twice are reported once, in order of their repeat."""
    assert repeated(["a", "b", "a", "c", "b", "a"]) == ["a", "b"]
    assert repeated(["a", "b"]) == []


def _book() -> CustodyBook:
    book = CustodyBook(WORLD)
    book.register("east-aleppo", "east-aleppo", C, 10)
    book.register("east-aleppo", "east-aleppo", F, 10)
    for trip in ("bus-1", "bus-2"):
        book.plan(trip, "east-aleppo", vehicle(trip), convoy="c1")
    return book


def _board(book: CustodyBook, trip: str, people: dict[Group, int], ids: list[str]) -> None:
    book.board(
        trip, "east-aleppo", vehicle(trip), "east-aleppo", counts(people), Basis.MANIFEST, "m", ids
    )


def test_a_manifest_boarding_records_its_ids_and_counts() -> None:
    """The boarding event carries the ids, sorted, and the counts by group."""
    book = _book()
    events = book.board(
        "bus-1", "east-aleppo", vehicle("bus-1"), "east-aleppo", counts({C: 2, F: 1}),
        Basis.MANIFEST, "m", ["p-3", "p-1", "p-2"],
    )  # fmt: skip
    assert isinstance(events[0], TripBoarded)
    assert events[0].manifest == ("p-1", "p-2", "p-3")
    assert book.trips["bus-1"].manifest == ("p-1", "p-2", "p-3")
    assert book.aboard() == {"p-1": "bus-1", "p-2": "bus-1", "p-3": "bus-1"}


@pytest.mark.parametrize(
    ("people", "ids", "message"),
    [
        ({C: 2}, ["p-1", "p-1"], "person p-1 is on the manifest of trip bus-2 twice"),
        ({C: 2}, ["p-9", "p-1"], "person p-1 is already on board trip bus-1"),
        ({C: 3}, ["p-8", "p-9"], "names 2 people but its counts hold 3"),
        ({C: 1}, [], "boards by manifest but names nobody"),
    ],
)
def test_a_manifest_that_does_not_fit_is_refused_naming_the_id(
    people: dict[Group, int], ids: list[str], message: str
) -> None:
    """Twice on one manifest, already on another trip, or not adding up: refused, book unchanged."""
    book = _book()
    _board(book, "bus-1", {C: 1}, ["p-1"])
    with pytest.raises(CustodyRefused, match=message):
        _board(book, "bus-2", people, ids)
    assert book.trips["bus-2"].manifest == ()


def test_a_person_is_free_to_board_again_once_their_trip_has_returned() -> None:
    """Only carrying trips hold their people: after a return they may board anew."""
    book = _book()
    _board(book, "bus-1", {C: 1}, ["p-1"])
    book.turn_back("bus-1", "east-aleppo", "road closed", "m")
    book.arrive("bus-1", "east-aleppo", counts({C: 1}), "m")
    _board(book, "bus-2", {C: 1}, ["p-1"])
    assert book.aboard() == {"p-1": "bus-2"}


def test_a_manifest_survives_the_ledger_and_a_count_boarding_reads_as_before() -> None:
    """Payload round trip keeps the ids; a boarding by count has no manifest key."""
    book = _book()
    manifest = book.board(
        "bus-1", "east-aleppo", vehicle("bus-1"), "east-aleppo", counts({C: 1}), Basis.MANIFEST,
        "m", ["p-1"],
    )[0]  # fmt: skip
    by_count = book.board(
        "bus-2", "east-aleppo", vehicle("bus-2"), "east-aleppo", counts({C: 1}), Basis.COUNT, "m"
    )[0]
    for event in (manifest, by_count):
        assert from_payload(event_type(event), to_payload(event)) == event
    assert to_payload(manifest)["manifest"] == ["p-1"]
    assert "manifest" not in to_payload(by_count)
    with pytest.raises(CustodyRefused, match="needs basis manifest"):
        _book().board(
            "bus-1", "east-aleppo", vehicle("bus-1"), "east-aleppo", counts({C: 1}), Basis.COUNT,
            "m", ["p-1"],
        )  # fmt: skip
