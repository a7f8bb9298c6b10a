"""What a registration row must be before it becomes a person record.

A spreadsheet from a reception desk is checked whole before anything is
stored: every bad row is reported by its row number (as the spreadsheet
shows it, header = row 1) and field, so the desk fixes the file once. The
rules are the ones a registrar can act on: a name is required and written in
Arabic or Latin letters; a birth year is not in the future; a household of
more than MAX_HOUSEHOLD people is a household id reused by mistake.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from corridor.domain.scenario import Group
from corridor.protection.person import EARLIEST_BIRTH_YEAR, PersonRecord
from corridor.protection.transliteration import script_of

COLUMNS = (
    "ref", "full_name", "other_name", "sex", "age", "birth_year", "date_of_birth",
    "household", "group", "vulnerabilities", "consent", "phone", "movement", "origin",
)  # fmt: skip
"""Columns an import understands; only `full_name` is required."""
MAX_HOUSEHOLD = 40
"""More people than this under one household id is a reused id, not a family."""
MAX_TEXT = 200
_SEX = {
    "f": "female", "female": "female", "أنثى": "female", "انثى": "female",
    "m": "male", "male": "male", "ذكر": "male",
}  # fmt: skip
_YES = frozenset({"yes", "y", "true", "1", "نعم"})
_NO = frozenset({"no", "n", "false", "0", "لا", ""})
_PHONE = re.compile(r"^[0-9+ ()-]*$")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]*$")
_NAME_MARKS = frozenset(" -'.’‘ʿʾ")
Complain = Callable[[str, str], None]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one field of one row."""

    row: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, {self.field}: {self.message}"


@dataclass(frozen=True)
class Context:
    """What rows are checked against: today, the operation's movements."""

    today: date
    movements: frozenset[str]


def check_header(header: Sequence[str]) -> list[Problem]:
    problems = [
        Problem(
            1,
            name or f"column {index + 1}",
            f"unknown column; expected some of: {', '.join(COLUMNS)}",
        )
        for index, name in enumerate(header)
        if name not in COLUMNS
    ]
    if "full_name" not in header:
        problems.append(Problem(1, "full_name", "the column full_name is required"))
    seen = [name for name, count in Counter(header).items() if count > 1 and name]
    problems.extend(Problem(1, name, "column given twice") for name in seen)
    return problems


def check_rows(
    rows: Sequence[tuple[int, Mapping[str, str]]], context: Context
) -> tuple[list[PersonRecord], list[Problem]]:
    """Records for good rows and the problems of bad ones (the caller stores none if any)."""
    records: list[PersonRecord] = []
    problems: list[Problem] = []
    for number, row in rows:
        record, found = check_row(number, row, context)
        problems.extend(found)
        if record is not None:
            records.append(record)
    problems.extend(_households(rows))
    problems.sort(key=lambda p: (p.row, COLUMNS.index(p.field) if p.field in COLUMNS else -1))
    return records, problems


def _households(rows: Sequence[tuple[int, Mapping[str, str]]]) -> list[Problem]:
    members: dict[str, list[int]] = {}
    for number, row in rows:
        household = (row.get("household") or "").strip()
        if household:
            members.setdefault(household, []).append(number)
    return [
        Problem(
            numbers[MAX_HOUSEHOLD],
            "household",
            f"household {household!r} has {len(numbers)} people in this file (rows "
            f"{numbers[0]}-{numbers[-1]}); at most {MAX_HOUSEHOLD}: is the id reused?",
        )
        for household, numbers in members.items()
        if len(numbers) > MAX_HOUSEHOLD
    ]


def check_row(
    number: int, row: Mapping[str, str], context: Context
) -> tuple[PersonRecord | None, list[Problem]]:
    problems: list[Problem] = []

    def bad(field: str, message: str) -> None:
        problems.append(Problem(number, field, message))

    def text(field: str) -> str:
        value = unicodedata.normalize("NFC", (row.get(field) or "").strip())
        if len(value) > MAX_TEXT:
            bad(field, f"longer than {MAX_TEXT} characters")
        return value

    full_name = text("full_name")
    if not full_name:
        bad("full_name", "empty; every person needs a name (Arabic or Latin letters)")
    else:
        _check_name(full_name, "full_name", bad)
    other_name = text("other_name")
    if other_name:
        _check_name(other_name, "other_name", bad)
    sex_text = text("sex").casefold()
    sex = _SEX.get(sex_text, "")
    if sex_text and not sex:
        bad("sex", "expected f, m, female, male (or أنثى, ذكر), or blank")
    age = _integer(text("age"), "age", bad, 0, 130)
    today = context.today
    birth_year = _integer(text("birth_year"), "birth_year", bad, EARLIEST_BIRTH_YEAR, None)
    if birth_year is not None and birth_year > today.year:
        bad("birth_year", f"{birth_year} is in the future (this year is {today.year})")
        birth_year = None
    date_of_birth = text("date_of_birth") or None
    if date_of_birth is not None:
        try:
            born = date.fromisoformat(date_of_birth)
        except ValueError:
            bad("date_of_birth", "expected a date YYYY-MM-DD")
            date_of_birth = None
        else:
            if born > today:
                bad("date_of_birth", f"{date_of_birth} is in the future (today is {today})")
            elif born.year < EARLIEST_BIRTH_YEAR:
                bad("date_of_birth", f"{date_of_birth} is before {EARLIEST_BIRTH_YEAR}")
    if age is not None and birth_year is not None and abs(today.year - birth_year - age) > 1:
        bad("age", f"age {age} does not fit birth year {birth_year} (this year is {today.year})")
    group = text("group")
    if group and group not in {g.value for g in Group}:
        bad(
            "group", f"unknown group {group!r}; expected one of {', '.join(g.value for g in Group)}"
        )
    vulnerabilities = tuple(
        v.strip() for v in re.split(r"[;,]", text("vulnerabilities")) if v.strip()
    )
    for tag in vulnerabilities:
        if not _ID.match(tag):
            bad("vulnerabilities", "tags are letters, digits, '-', '.', ':' separated by ';'")
            break
    consent_text = text("consent").casefold()
    if consent_text not in _YES and consent_text not in _NO:
        bad("consent", "expected yes or no (or blank for no)")
    phone = text("phone")
    if not _PHONE.match(phone):
        bad("phone", "digits, spaces, '+', '(', ')' and '-' only")
    movement = text("movement")
    if movement and movement not in context.movements:
        known = ", ".join(sorted(context.movements)) or "none declared"
        bad("movement", f"no movement {movement!r} in this operation; known: {known}")
    if problems:
        return None, problems
    record = PersonRecord(
        id="new",
        full_name=full_name,
        sex=sex,
        age=age,
        date_of_birth=date_of_birth,
        household=text("household"),
        vulnerabilities=vulnerabilities,
        consent=consent_text in _YES,
        phone=phone,
        movement=movement,
        other_name=other_name,
        birth_year=birth_year,
        group=group,
        origin=text("origin"),
        ref=text("ref"),
    )
    return record, []


def _check_name(name: str, field: str, bad: Complain) -> None:
    scripts = script_of(name)
    if "other" in scripts:
        foreign = next(c for c in name if c.isalpha() and script_of(c) == {"other"})
        script = unicodedata.name(foreign, "UNKNOWN").split()[0].title()
        bad(
            field,
            f"letters of another script ({script}); write the name in Arabic or Latin letters",
        )
    elif not scripts:
        bad(field, "no letters; write the name in Arabic or Latin letters")
    strange = {c for c in name if not (c.isalpha() or c in _NAME_MARKS or unicodedata.combining(c))}
    if strange and "other" not in scripts:
        bad(field, "only letters, spaces, hyphens, apostrophes and dots belong in a name")


def _integer(value: str, field: str, bad: Complain, low: int, high: int | None) -> int | None:
    if not value:
        return None
    try:
        number = int(float(value)) if re.fullmatch(r"\d+(\.0+)?", value) else int(value)
    except ValueError:
        bad(field, "expected a whole number")
        return None
    if number < low or (high is not None and number > high):
        limit = f"between {low} and {high}" if high is not None else f"{low} or later"
        bad(field, f"{number} is out of range; expected {limit}")
        return None
    return number


ADULT_AGE = 18
SEPARATED_TAGS = frozenset({"unaccompanied", "separated"})


def is_child(record: PersonRecord, today: date) -> bool:
    """Under 18 by age, else by birth year (or date of birth); unknown age is not a child."""
    if record.age is not None:
        return record.age < ADULT_AGE
    year = record.year_of_birth
    return year is not None and today.year - year < ADULT_AGE


def is_unaccompanied(record: PersonRecord) -> bool:
    tags = {tag.casefold() for tag in record.vulnerabilities}
    return bool(tags & SEPARATED_TAGS) or record.group == Group.UNACCOMPANIED_MINORS.value


def child_flag(record: PersonRecord, today: date) -> str:
    """What reception must follow up at registration: a child alone, or a child with no household.

    `unaccompanied`: a child tagged unaccompanied or separated (or registered in
    that group); `no-household`: a child registered without a household id,
    who may be separated and not yet known as such; "" otherwise.
    """
    if not is_child(record, today):
        return ""
    if is_unaccompanied(record):
        return "unaccompanied"
    return "" if record.household else "no-household"
