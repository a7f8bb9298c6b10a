"""The checks a registration row passes before it becomes a person record."""

from __future__ import annotations

from datetime import date

import pytest

from corridor.protection.registration import (
    Context,
    check_header,
    check_row,
    check_rows,
    child_flag,
)

CONTEXT = Context(date(2016, 12, 15), frozenset({"east-aleppo"}))


def _problems(**row: str) -> list[str]:
    _record, problems = check_row(7, {"full_name": "Omar Haddad", **row}, CONTEXT)
    return [str(p) for p in problems]


def test_a_good_row_becomes_a_record_with_its_fields_folded() -> None:
    """Sex in Arabic, consent in words, tags split on ';', ref kept."""
    record, problems = check_row(
        2,
        {"full_name": " محمد الحلبي ", "sex": "ذكر", "birth_year": "1980", "consent": "Yes",
         "vulnerabilities": "wounded; elderly", "ref": "FC-9", "movement": "east-aleppo"},
        CONTEXT,
    )  # fmt: skip
    assert problems == []
    assert record is not None
    assert (record.full_name, record.sex, record.birth_year) == ("محمد الحلبي", "male", 1980)
    assert (record.consent, record.vulnerabilities, record.ref) == (
        True,
        ("wounded", "elderly"),
        "FC-9",
    )


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ({"full_name": "  "}, "row 7, full_name: empty; every person needs a name"),
        ({"full_name": "Ἀλέξανδρος"}, "row 7, full_name: letters of another script (Greek)"),
        ({"full_name": "Omar 3"}, "row 7, full_name: only letters, spaces"),
        ({"sex": "x"}, "row 7, sex: expected f, m, female, male"),
        ({"birth_year": "2017"}, "row 7, birth_year: 2017 is in the future (this year is 2016)"),
        ({"birth_year": "1850"}, "row 7, birth_year: 1850 is out of range"),
        ({"date_of_birth": "2016-12-16"}, "row 7, date_of_birth: 2016-12-16 is in the future"),
        ({"age": "140"}, "row 7, age: 140 is out of range; expected between 0 and 130"),
        ({"age": "9", "birth_year": "1980"}, "row 7, age: age 9 does not fit birth year 1980"),
        ({"group": "soldiers"}, "row 7, group: unknown group 'soldiers'"),
        ({"consent": "maybe"}, "row 7, consent: expected yes or no"),
        ({"phone": "call me"}, "row 7, phone: digits, spaces"),
        ({"movement": "madaya"}, "row 7, movement: no movement 'madaya' in this operation"),
    ],
)
def test_each_bad_field_is_named_with_its_row(row: dict[str, str], expected: str) -> None:
    """One problem per bad field, starting with the row number and the field."""
    found = _problems(**row)
    assert len(found) == 1, found
    assert found[0].startswith(expected), found


def test_unknown_and_missing_columns_are_problems_of_row_1() -> None:
    """A header must name full_name and only known columns."""
    assert [str(p) for p in check_header(["name", "sex"])] == [
        "row 1, name: unknown column; expected some of: ref, full_name, other_name, sex, age, "
        "birth_year, date_of_birth, household, group, vulnerabilities, consent, phone, "
        "movement, origin",
        "row 1, full_name: the column full_name is required",
    ]


def test_a_household_of_forty_passes_and_one_of_forty_one_does_not() -> None:
    """The household limit is MAX_HOUSEHOLD people under one id in one file."""
    rows = [(n + 2, {"full_name": "Omar Haddad", "household": "h"}) for n in range(40)]
    assert check_rows(rows, CONTEXT)[1] == []
    rows.append((42, {"full_name": "Omar Haddad", "household": "h"}))
    problems = check_rows(rows, CONTEXT)[1]
    assert [(p.row, p.field) for p in problems] == [(42, "household")]


@pytest.mark.parametrize(
    ("row", "flag"),
    [
        ({"age": "9", "vulnerabilities": "unaccompanied", "household": "h"}, "unaccompanied"),
        ({"birth_year": "2008", "vulnerabilities": "separated"}, "unaccompanied"),
        ({"age": "12", "group": "unaccompanied-minors", "household": "h"}, "unaccompanied"),
        ({"age": "7"}, "no-household"),
        ({"age": "7", "household": "h"}, ""),
        ({"age": "30", "vulnerabilities": "unaccompanied"}, ""),
        ({}, ""),
    ],
)
def test_children_alone_or_without_a_household_are_flagged_at_registration(
    row: dict[str, str], flag: str
) -> None:
    """A child tagged unaccompanied/separated, or with no household, is flagged for follow-up."""
    record, problems = check_row(2, {"full_name": "Sami Qudsi", **row}, CONTEXT)
    assert problems == []
    assert record is not None
    assert child_flag(record, CONTEXT.today) == flag
