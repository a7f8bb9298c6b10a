"""The labelled set for duplicate detection: true pairs from Wikidata, not from the matcher.

`bench/data/wikidata-levant-names.tsv` holds, for people with citizenship of
Syria, Lebanon, Jordan, Palestine and Iraq, the Arabic label of their
Wikidata item beside its English label (CC0; taken from the index shipped by
the `arabic-name-romanizer` package, see bench/data/README.md). The pairing
comes from the people who wrote the labels, never from our sound keys. One
person is one Arabic name with exactly one English label; each is registered
twice, once in Arabic and once in Latin letters, so every true pair is a
cross-script pair. Birth year, sex, household and origin are drawn with a
seed, and the second registration copies them with a desk's typical slips
(birth year off by one, household left blank, another origin).
"""

from __future__ import annotations

import csv
import random
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from corridor.protection.linkage import LinkageRecord

NAMES = Path(__file__).resolve().parent / "data" / "wikidata-levant-names.tsv"
TRAIN_COUNTRIES = frozenset({"LB", "JO"})
TEST_COUNTRIES = frozenset({"SY", "PS", "IQ"})
ORIGINS = tuple(f"district-{n}" for n in range(12))


@dataclass(frozen=True)
class NamePair:
    arabic: str
    latin: str
    country: str


def name_pairs(countries: frozenset[str]) -> list[NamePair]:
    """Arabic names with exactly one English label, from the given countries."""
    labels: dict[str, list[tuple[str, str]]] = defaultdict(list)
    with NAMES.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            labels[row["arabic"]].append((row["latin"], row["country"]))
    return [
        NamePair(arabic, found[0][0], found[0][1])
        for arabic, found in sorted(labels.items())
        if len(found) == 1 and found[0][1] in countries
    ]


def registrations(
    pairs: list[NamePair], people: int | None = None, seed: int = 2016
) -> tuple[list[LinkageRecord], set[tuple[str, str]]]:
    """Two registrations per person (Arabic, Latin) and the set of true pairs.

    With `people` larger than the list, names repeat as different people
    (homonyms, as in any large registration): only the two registrations of
    one person are a true pair.
    """
    rng = random.Random(seed)
    pairs = list(pairs)
    rng.shuffle(pairs)
    count = people or len(pairs)
    records: list[LinkageRecord] = []
    truth: set[tuple[str, str]] = set()
    household = ""
    left_in_household = 0
    origin = ORIGINS[0]
    for index in range(count):
        pair = pairs[index % len(pairs)] if people is None else rng.choice(pairs)
        if left_in_household == 0:
            household = f"hh-{index:06d}"
            left_in_household = rng.randint(1, 7)
            origin = rng.choice(ORIGINS)
        left_in_household -= 1
        year = rng.randint(1935, 2016)
        sex = rng.choice("fm")
        first = LinkageRecord(f"p{index:06d}a", pair.arabic, year, sex, household, origin)
        slip = rng.random()
        second_year: int | None = year
        if slip < 0.15:
            second_year = year + rng.choice((-1, 1))
        elif slip < 0.2:
            second_year = None
        second = LinkageRecord(
            f"p{index:06d}b",
            pair.latin,
            second_year,
            sex if rng.random() > 0.02 else "",
            household if rng.random() < 0.7 else "",
            origin if rng.random() < 0.9 else rng.choice(ORIGINS),
        )
        records.extend((first, second))
        truth.add((first.person, second.person))
    rng.shuffle(records)
    return records, truth
