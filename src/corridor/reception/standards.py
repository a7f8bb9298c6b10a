"""Humanitarian minimum standards as data: the per-person amounts that needs are made of.

The figures (Sphere Handbook 2018, UNHCR for cold climates) live in
`sphere-2018.yaml` beside this module, each with its source, so a cluster
that works to other figures replaces a file, not code. A standards file is
read strictly: an unknown supply, a missing source or a negative amount is an
`InvalidInput` naming the entry.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from corridor.domain.scenario import Source
from corridor.domain.shelters import Climate, Supply
from corridor.errors import InvalidInput

BUNDLED = "sphere-2018.yaml"


@dataclass(frozen=True)
class Standard:
    """How much of one supply a person needs, by climate, and where the figure comes from."""

    supply: Supply
    per_person: float
    """Per person per day when `consumed`, else per person present."""
    cold: float
    consumed: bool
    source: Source
    whole: bool = False
    """Counted in whole items (latrines, blankets, kits): the need rounds up."""

    def rate(self, climate: Climate) -> float:
        return self.cold if climate is Climate.COLD else self.per_person

    def need(self, people: int, climate: Climate) -> float:
        """What `people` need of this supply (for one day when consumed)."""
        amount = people * self.rate(climate)
        return float(math.ceil(amount - 1e-9)) if self.whole else amount


@dataclass(frozen=True)
class Standards:
    """A set of standards, one per supply, in the file's order."""

    name: str
    standards: tuple[Standard, ...]

    def of(self, supply: Supply) -> Standard:
        for standard in self.standards:
            if standard.supply is supply:
                return standard
        raise KeyError(supply)


_WHOLE = {Supply.LATRINES, Supply.BLANKETS, Supply.WINTER_KITS}


def _fail(where: str, message: str) -> InvalidInput:
    return InvalidInput(f"standards file: {where}: {message}")


def _amount(entry: dict[str, Any], key: str, where: str) -> float | None:
    value = entry.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise _fail(f"{where}.{key}", f"expected a number >= 0, found {value!r}")
    return float(value)


def _standard(entry: Any, where: str) -> Standard:
    if not isinstance(entry, dict):
        raise _fail(where, f"expected a mapping, found {entry!r}")
    allowed = {"supply", "consumed", "per_person", "people_per_unit", "cold", "source"}
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise _fail(where, f"unknown key {unknown[0]!r}; expected one of: {', '.join(allowed)}")
    try:
        supply = Supply(str(entry.get("supply")))
    except ValueError:
        choices = ", ".join(s.value for s in Supply)
        found = entry.get("supply")
        raise _fail(f"{where}.supply", f"expected one of {choices}, found {found!r}") from None
    source = entry.get("source")
    if not isinstance(source, dict) or not isinstance(source.get("text"), str):
        raise _fail(f"{where}.source", "every figure needs a source with `text`")
    per_person = _amount(entry, "per_person", where)
    per_unit = _amount(entry, "people_per_unit", where)
    if (per_person is None) == (per_unit is None):
        raise _fail(where, "give exactly one of per_person and people_per_unit")
    if per_unit is not None:
        if per_unit <= 0:
            raise _fail(f"{where}.people_per_unit", f"expected a number > 0, found {per_unit:g}")
        per_person = 1.0 / per_unit
    assert per_person is not None
    cold = _amount(entry, "cold", where)
    return Standard(
        supply=supply,
        per_person=per_person,
        cold=per_person if cold is None else cold,
        consumed=entry.get("consumed") is True,
        source=Source(source["text"], str(source.get("note", "")).strip()),
        whole=supply in _WHOLE,
    )


def parse_standards(text: str) -> Standards:
    """Standards from the text of a standards file; every supply exactly once."""
    data = yaml.safe_load(text)
    if not isinstance(data, dict) or not isinstance(data.get("standards"), list):
        raise _fail("<root>", "expected a mapping with a `standards` list")
    standards = tuple(
        _standard(entry, f"standards[{i}]") for i, entry in enumerate(data["standards"])
    )
    given = [s.supply for s in standards]
    for supply in Supply:
        if given.count(supply) != 1:
            raise _fail("standards", f"expected {supply.value!r} once, found {given.count(supply)}")
    return Standards(str(data.get("name", "")), standards)


def bundled_standards() -> Standards:
    """The Sphere 2018 standards shipped with corridor."""
    text = resources.files("corridor.reception").joinpath(BUNDLED).read_text(encoding="utf-8")
    return parse_standards(text)
