"""Which group a registered person boards in, from what their record says.

A boarding manifest lists person ids; the custody record counts by group.
The group comes from the person record's tags (`vulnerabilities`) and age,
never from sex: a man of fighting age is a civilian unless his record says
otherwise, because counting men as fighters by default is what put them in
danger at the checkpoints.

The rule, first match wins:

1. tagged `wounded-stretcher` (or `stretcher`): wounded-stretcher;
2. tagged `wounded-seated` (or `wounded`): wounded-seated;
3. tagged `unaccompanied` (or `unaccompanied-minor(s)`) and under 18, or of
   unknown age: unaccompanied-minors (a child alone is protected first);
4. tagged `fighter` (or `fighters`): fighters;
5. everyone else: civilians.

The wounded come first because a stretcher case needs a stretcher place
whoever they are; an adult tagged unaccompanied is a civilian.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date

from corridor.domain.custody_events import Counts, counts
from corridor.domain.scenario import Group

ADULT_AGE = 18

_TAGS: tuple[tuple[Group, frozenset[str]], ...] = (
    (Group.WOUNDED_STRETCHER, frozenset({"wounded-stretcher", "stretcher"})),
    (Group.WOUNDED_SEATED, frozenset({"wounded-seated", "wounded"})),
    (
        Group.UNACCOMPANIED_MINORS,
        frozenset({"unaccompanied", "unaccompanied-minor", "unaccompanied-minors"}),
    ),
    (Group.FIGHTERS, frozenset({"fighter", "fighters"})),
)


def age_on(
    day: date,
    age: int | None = None,
    date_of_birth: str | None = None,
    birth_year: int | None = None,
) -> int | None:
    """Age in whole years on `day`: the recorded age, else from the date of birth, else
    the youngest the birth year allows (so a doubtful age errs towards a child)."""
    if age is not None:
        return age
    if not date_of_birth:
        return None if birth_year is None else max(0, day.year - birth_year - 1)
    born = date.fromisoformat(date_of_birth)
    before_birthday = (day.month, day.day) < (born.month, born.day)
    return max(0, day.year - born.year - before_birthday)


def group_of(tags: Iterable[str], age: int | None) -> Group:
    """The group a person boards in (see the module's rule)."""
    folded = {tag.strip().lower() for tag in tags}
    for group, names in _TAGS:
        if folded & names:
            if group is Group.UNACCOMPANIED_MINORS and age is not None and age >= ADULT_AGE:
                continue
            return group
    return Group.CIVILIANS


def manifest_counts(groups: Mapping[str, Group]) -> Counts:
    """People by group from each person's group."""
    return counts(Counter(groups.values()))


def repeated(manifest: Iterable[str]) -> list[str]:
    """Ids that a manifest names more than once, in order of first repeat."""
    seen: set[str] = set()
    twice: list[str] = []
    for person in manifest:
        if person in seen and person not in twice:
            twice.append(person)
        seen.add(person)
    return twice
