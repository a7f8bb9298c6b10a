"""Cross-field rules of a scenario's reception sections: shelters, stocks, households.

Run by `checks.cross_check` on the raw parsed data, in the same pass as every
other rule, so a reception manager fixing a file sees each defect at once:
a shelter of an undeclared kind, an expansion smaller than what is there, a
site promising the planner more places for a group than its shelters hold,
beds for the wounded without the level of care they need, household shares
that do not add up to 1.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from corridor.adapters.scenario_file.raw import items as _items
from corridor.adapters.scenario_file.raw import number as _number

if TYPE_CHECKING:
    from corridor.adapters.scenario_file.checks import _Checker

SHARE_TOLERANCE = 1e-6
MIN_CARE_LEVEL = {"wounded-stretcher": 2, "wounded-seated": 1}
"""Beds a wounded group may take: stretcher cases need secondary care (surgery) or more."""


def _kinds(checker: _Checker) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for _, item in _items(checker.data, "shelter_kinds"):
        key = item.get("id")
        if isinstance(key, str):
            found.setdefault(key, item)
    return found


def _kind_rules(checker: _Checker) -> None:
    for index, item in _items(checker.data, "shelter_kinds"):
        houses = item.get("houses")
        level = item.get("care_level")
        for g_index, group in enumerate(houses if isinstance(houses, list) else []):
            need = MIN_CARE_LEVEL.get(group) if isinstance(group, str) else None
            if need is None:
                continue
            if not isinstance(level, int) or level < need:
                found = "none" if level is None else str(level)
                checker.fail(
                    f"shelter_kinds[{index}].houses[{g_index}]",
                    f"{group} need a bed with care_level >= {need}; this kind's care_level "
                    f"is {found}",
                )


def _site_rules(checker: _Checker, kinds: dict[str, dict[str, Any]]) -> None:
    for index, site in _items(checker.data, "sites"):
        reception = site.get("reception")
        if not isinstance(reception, dict):
            continue
        where = f"sites[{index}].reception"
        housed: dict[str, float] = {}
        seen: dict[str, int] = {}
        # A shelter of an unknown kind or with a bad count is reported on its
        # own line; comparing the site's capacities with a sum that misses it
        # would add a second, misleading error about the same mistake.
        doubtful = False
        for s_index, shelter in _items(reception, "shelters"):
            path = f"{where}.shelters[{s_index}]"
            kind = shelter.get("kind")
            if isinstance(kind, str):
                if kind in seen:
                    checker.fail(
                        f"{path}.kind",
                        f"shelter kind {kind!r} is already at shelters[{seen[kind]}]; "
                        "give one entry per kind",
                    )
                seen.setdefault(kind, s_index)
                checker.known("shelter_kinds", kind, f"{path}.kind")
            places, grown = _number(shelter.get("places")), _number(shelter.get("expandable_to"))
            if not (isinstance(kind, str) and kind in kinds) or places is None or places < 0:
                doubtful = True
            if places is not None and grown is not None and grown < places:
                checker.fail(
                    f"{path}.expandable_to",
                    f"expected at least the {places:g} places there now, found {grown:g}",
                )
            if "lead_hours" in shelter and "expandable_to" not in shelter:
                checker.fail(
                    f"{path}.lead_hours",
                    "lead_hours is the time to expand; give expandable_to as well, or drop it",
                )
            houses = kinds.get(kind, {}).get("houses") if isinstance(kind, str) else None
            for group in houses if isinstance(houses, list) else []:
                if isinstance(group, str) and places is not None:
                    housed[group] = housed.get(group, 0.0) + places
        for c_index, capacity in _items(site, "capacities"):
            group, places = capacity.get("group"), _number(capacity.get("places"))
            if not isinstance(group, str) or places is None or not seen or doubtful:
                continue
            held = housed.get(group, 0.0)
            if places > held:
                checker.fail(
                    f"sites[{index}].capacities[{c_index}].places",
                    f"{places:g} places for {group}, but the site's shelters house only "
                    f"{held:g} of them (shelter kinds whose `houses` include {group!r})",
                )
        items: dict[str, int] = {}
        for t_index, stock in _items(reception, "stocks"):
            item = stock.get("item")
            if isinstance(item, str):
                if item in items:
                    checker.fail(
                        f"{where}.stocks[{t_index}].item",
                        f"{item!r} is already stocked at stocks[{items[item]}]; one entry per item",
                    )
                items.setdefault(item, t_index)


def _household_rules(checker: _Checker) -> None:
    movements: dict[str, int] = {}
    for index, item in _items(checker.data, "households"):
        movement = item.get("movement")
        if isinstance(movement, str):
            if movement in movements:
                checker.fail(
                    f"households[{index}].movement",
                    f"households[{movements[movement]}] already gives {movement!r}'s sizes",
                )
            movements.setdefault(movement, index)
            checker.known("movements", movement, f"households[{index}].movement")
        total, sizes = 0.0, set()
        for s_index, size in _items(item, "sizes"):
            people, share = size.get("people"), _number(size.get("share"))
            if isinstance(people, int) and people in sizes:
                checker.fail(
                    f"households[{index}].sizes[{s_index}].people",
                    f"households of {people} are already listed",
                )
            sizes.add(people)
            total += share or 0.0
        if sizes and abs(total - 1.0) > SHARE_TOLERANCE:
            checker.fail(
                f"households[{index}].sizes",
                f"expected shares adding up to 1, found {total:.6g}",
            )


def reception_rules(checker: _Checker) -> None:
    """Every reception problem of the document, recorded on `checker`."""
    _kind_rules(checker)
    _site_rules(checker, _kinds(checker))
    _household_rules(checker)
