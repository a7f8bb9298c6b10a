"""Rules that span fields of a scenario file: references, ids, corridors, movements.

They run on the raw parsed data, not on the validated model, so that a file
with a type error in one place still gets its broken references reported in
the same pass: a person fixing a file should see every defect at once. Items
too malformed to reason about (not a mapping, id not text) are skipped here;
the models report those.

Reception rules live in `reception_checks.py`: shelters name declared kinds,
expansions do not shrink, a site's group capacities fit in its shelters, beds
for the wounded state their level of care, household shares add up to 1.
Transport rules (occupancy within the door check, fleet over time, staging
grounds, private flows) live in `transport_checks.py`.

The movement rules: a movement's corridor starts at its origin; each
destination is on the corridor after the origin, or reachable over the links
from the corridor's last site; every population waits at a site of its
movement's corridor, in a group the movement may carry.
"""

from __future__ import annotations

from collections import deque
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from corridor.adapters.scenario_file.raw import items as _items
from corridor.adapters.scenario_file.reception_checks import reception_rules
from corridor.adapters.scenario_file.transport_checks import transport_rules
from corridor.adapters.yaml_marks import MarkedDocument
from corridor.domain.scenario import vehicle_id
from corridor.errors import Problem

_SECTIONS_WITH_IDS = {
    "sites": "site",
    "links": "link",
    "corridors": "corridor",
    "movements": "movement",
    "vehicle_kinds": "vehicle kind",
    "organisations": "organisation",
    "shelter_kinds": "shelter kind",
}
_RESERVED_SECTIONS = ("agreement", "disruption")


def _text(item: dict[str, Any], key: str) -> str | None:
    value = item.get(key)
    return value if isinstance(value, str) else None


def _choices(ids: list[str] | set[str] | dict[str, Any]) -> str:
    names = sorted(ids)
    shown = ", ".join(names[:12])
    return shown + (f", ... ({len(names)} in all)" if len(names) > 12 else "")


class _Checker:
    """Collects problems for one document; one method per rule family."""

    def __init__(self, doc: MarkedDocument, base_dir: Path | None) -> None:
        self.doc = doc
        self.data: dict[str, Any] = doc.data
        self.base_dir = base_dir
        self.problems: list[Problem] = []
        self.ids: dict[str, dict[str, int]] = {s: self._first_ids(s) for s in _SECTIONS_WITH_IDS}
        self.sites: dict[str, dict[str, Any]] = {
            _text(item, "id") or "": item for _, item in _items(self.data, "sites")
        }
        self._next: dict[str, list[str]] | None = None
        self._reach: dict[str, set[str]] = {}
        self.corridor_sites: dict[str, list[str]] = {}
        for _, item in _items(self.data, "corridors"):
            corridor_id, sites = _text(item, "id"), item.get("sites")
            if corridor_id and isinstance(sites, list):
                self.corridor_sites.setdefault(
                    corridor_id, [s for s in sites if isinstance(s, str)]
                )

    def fail(self, path: str, message: str) -> None:
        self.problems.append(self.doc.problem(path, message))

    def _first_ids(self, section: str) -> dict[str, int]:
        first: dict[str, int] = {}
        for index, item in _items(self.data, section):
            key = _text(item, "id")
            if key is not None:
                first.setdefault(key, index)
        return first

    def known(self, section: str, value: str | None, path: str) -> bool:
        """True when `value` names an item of `section`; otherwise records why not."""
        if value is None:
            return False
        if value in self.ids[section]:
            return True
        if not isinstance(self.data.get(section, []), list):
            return False  # the section itself is malformed and reported as such
        noun = _SECTIONS_WITH_IDS[section]
        if not self.ids[section]:
            self.fail(path, f"unknown {noun} {value!r}; no {noun} is defined in `{section}`")
        else:
            choices = _choices(self.ids[section])
            self.fail(path, f"unknown {noun} {value!r}; expected one of: {choices}")
        return False

    def duplicate_ids(self) -> None:
        for section, noun in _SECTIONS_WITH_IDS.items():
            for index, item in _items(self.data, section):
                key = _text(item, "id")
                first = self.ids[section].get(key) if key is not None else None
                if first is not None and first != index:
                    line = self.doc.where(f"{section}[{first}].id")[0]
                    self.fail(
                        f"{section}[{index}].id",
                        f"duplicate {noun} id {key!r}; first defined at {section}[{first}] "
                        f"(line {line}); ids must be unique",
                    )

    def sites_rules(self) -> None:
        for index, item in _items(self.data, "sites"):
            kinds = item.get("kinds")
            rate = item.get("service_rate_per_hour")
            if isinstance(kinds, list) and "checkpoint" in kinds and rate is None:
                self.fail(
                    f"sites[{index}].service_rate_per_hour",
                    "a checkpoint must state service_rate_per_hour "
                    "(vehicles screened per hour, a number > 0); found none",
                )
            seen: dict[str, int] = {}
            for c_index, capacity in _items(item, "capacities"):
                group = _text(capacity, "group")
                if group is None:
                    continue
                if group in seen:
                    self.fail(
                        f"sites[{index}].capacities[{c_index}].group",
                        f"group {group!r} already has places at capacities[{seen[group]}]; "
                        "give one capacity per group",
                    )
                seen.setdefault(group, c_index)

    def links_rules(self) -> None:
        for index, item in _items(self.data, "links"):
            a, b = _text(item, "a"), _text(item, "b")
            self.known("sites", a, f"links[{index}].a")
            self.known("sites", b, f"links[{index}].b")
            if a is not None and a == b:
                self.fail(
                    f"links[{index}].b", f"a link must join two different sites; found {a!r} twice"
                )

    def _arcs(self) -> set[tuple[str, str]]:
        arcs: set[tuple[str, str]] = set()
        for _, item in _items(self.data, "links"):
            a, b = _text(item, "a"), _text(item, "b")
            if a is None or b is None:
                continue
            arcs.add((a, b))
            if item.get("one_way") is not True:
                arcs.add((b, a))
        return arcs

    def corridors_rules(self) -> None:
        arcs = self._arcs()
        for index, item in _items(self.data, "corridors"):
            sites = item.get("sites")
            if not isinstance(sites, list):
                continue
            seen: dict[str, int] = {}
            for position, site in enumerate(sites):
                path = f"corridors[{index}].sites[{position}]"
                if not isinstance(site, str):
                    continue
                if site in seen:
                    self.fail(
                        path,
                        f"site {site!r} is already at sites[{seen[site]}]; "
                        "a corridor visits each site once",
                    )
                seen.setdefault(site, position)
                self.known("sites", site, path)
            for position in range(1, len(sites)):
                before, after = sites[position - 1], sites[position]
                if not (isinstance(before, str) and isinstance(after, str)):
                    continue
                if before in self.sites and after in self.sites and (before, after) not in arcs:
                    self.fail(
                        f"corridors[{index}].sites[{position}]",
                        f"corridor is not a connected path: no link from {before!r} to {after!r} "
                        "(consecutive corridor sites must share a link usable in that direction)",
                    )

    def vehicle_kinds_rules(self) -> None:
        for index, item in _items(self.data, "vehicle_kinds"):
            seats, stretchers = item.get("seats", 0), item.get("stretchers", 0)
            if (
                isinstance(seats, int)
                and isinstance(stretchers, int)
                and "seats" in item
                and seats + stretchers == 0
            ):
                self.fail(
                    f"vehicle_kinds[{index}].seats",
                    "a vehicle kind must carry someone: expected seats + stretchers > 0, found 0",
                )

    def fleet_rules(self) -> None:
        for index, item in _items(self.data, "fleet"):
            self.known("vehicle_kinds", _text(item, "kind"), f"fleet[{index}].kind")
            depot = _text(item, "depot")
            if self.known("sites", depot, f"fleet[{index}].depot"):
                kinds = self.sites[depot or ""].get("kinds")
                if isinstance(kinds, list) and "depot" not in kinds:
                    self.fail(
                        f"fleet[{index}].depot",
                        f"site {depot!r} is not a depot (its kinds: "
                        f"{', '.join(str(k) for k in kinds)}); "
                        "vehicles start at a site whose kinds include 'depot'",
                    )

    def vehicle_ids_rules(self) -> None:
        """Explicit ids: one per vehicle, unique across the fleet and its numbered ids."""
        explicit: dict[str, str] = {}
        numbered: dict[tuple[str, str], int] = {}
        for index, item in _items(self.data, "fleet"):
            ids, count = item.get("ids", []), item.get("count")
            ids = ids if isinstance(ids, list) else []
            if ids and isinstance(count, int) and len(ids) != count:
                self.fail(
                    f"fleet[{index}].ids",
                    f"names {len(ids)} vehicles but count is {count}; give one id per vehicle",
                )
            for i, vid in enumerate(ids):
                if not isinstance(vid, str):
                    continue
                path = f"fleet[{index}].ids[{i}]"
                if vid in explicit:
                    self.fail(path, f"duplicate vehicle id {vid!r}; first given at {explicit[vid]}")
                explicit.setdefault(vid, path)
            kind, depot = _text(item, "kind"), _text(item, "depot")
            if kind and depot and isinstance(count, int):
                key = (kind, depot)
                numbered[key] = numbered.get(key, 0) + max(count - len(ids), 0)
        generated = {
            vehicle_id(kind, depot, n)
            for (kind, depot), total in numbered.items()
            for n in range(1, total + 1)
        }
        for vid, path in explicit.items():
            if vid in generated:
                self.fail(
                    path,
                    f"vehicle id {vid!r} is also the numbered id of an unnamed vehicle; "
                    "choose another",
                )

    def incident_kinds_rules(self) -> None:
        kinds = self.data.get("incident_kinds")
        seen: set[str] = set()
        for i, kind in enumerate(kinds if isinstance(kinds, list) else []):
            if isinstance(kind, str) and kind in seen:
                self.fail(f"incident_kinds[{i}]", f"incident kind {kind!r} is listed twice")
            if isinstance(kind, str):
                seen.add(kind)

    def _reachable(self, start: str) -> set[str]:
        """Sites reachable from `start` over the links (cached: many movements share ends)."""
        if start in self._reach:
            return self._reach[start]
        if self._next is None:
            self._next = {}
            for a, b in sorted(self._arcs()):
                self._next.setdefault(a, []).append(b)
        seen, queue = {start}, deque([start])
        while queue:
            for b in self._next.get(queue.popleft(), ()):
                if b not in seen:
                    seen.add(b)
                    queue.append(b)
        self._reach[start] = seen
        return seen

    def movements_rules(self) -> None:
        for index, item in _items(self.data, "movements"):
            origin = _text(item, "origin")
            self.known("sites", origin, f"movements[{index}].origin")
            corridor_id = _text(item, "corridor")
            route: list[str] | None = None
            if self.known("corridors", corridor_id, f"movements[{index}].corridor"):
                route = self.corridor_sites.get(corridor_id or "")
            if route and origin is not None and route[0] != origin:
                self.fail(
                    f"movements[{index}].corridor",
                    f"corridor {corridor_id!r} starts at {route[0]!r}, not at the movement's "
                    f"origin {origin!r}; a movement's corridor must start at its origin",
                )
            after_origin = set(route[1:]) if route else set()
            destinations = item.get("destinations")
            for d_index, destination in enumerate(
                destinations if isinstance(destinations, list) else []
            ):
                path = f"movements[{index}].destinations[{d_index}]"
                if not isinstance(destination, str) or not self.known("sites", destination, path):
                    continue
                if (
                    route
                    and destination not in after_origin
                    and destination not in self._reachable(route[-1])
                ):
                    self.fail(
                        path,
                        f"destination {destination!r} is neither on corridor {corridor_id!r} "
                        "after the origin nor reachable over the links from its last site "
                        f"{route[-1]!r}",
                    )
            groups = item.get("groups")
            seen: set[str] = set()
            for g_index, group in enumerate(groups if isinstance(groups, list) else []):
                if isinstance(group, str) and group in seen:
                    self.fail(
                        f"movements[{index}].groups[{g_index}]", f"group {group!r} is listed twice"
                    )
                if isinstance(group, str):
                    seen.add(group)

    def populations_rules(self) -> None:
        movements: dict[str | None, dict[str, Any]] = {}
        for _, item in _items(self.data, "movements"):
            movements.setdefault(_text(item, "id"), item)
        seen: dict[tuple[str, str, str], int] = {}
        for index, item in _items(self.data, "populations"):
            movement_id, site, group = (
                _text(item, "movement"),
                _text(item, "site"),
                _text(item, "group"),
            )
            self.known("sites", site, f"populations[{index}].site")
            if not self.known("movements", movement_id, f"populations[{index}].movement"):
                continue
            movement = movements[movement_id]
            groups = movement.get("groups")
            if group is not None and isinstance(groups, list) and group not in groups:
                self.fail(
                    f"populations[{index}].group",
                    f"movement {movement_id!r} does not carry group {group!r}; "
                    f"it carries: {', '.join(g for g in groups if isinstance(g, str))}",
                )
            route = self.corridor_sites.get(_text(movement, "corridor") or "")
            if route and site in self.sites and site not in route:
                self.fail(
                    f"populations[{index}].site",
                    f"site {site!r} is not on corridor {_text(movement, 'corridor')!r} of movement "
                    f"{movement_id!r}; people join a movement at a site of its corridor",
                )
            if movement_id and site and group:
                key = (movement_id, site, group)
                if key in seen:
                    self.fail(
                        f"populations[{index}]",
                        f"populations[{seen[key]}] already counts {group!r} at {site!r} for "
                        f"{movement_id!r}; give one count per movement, site and group",
                    )
                seen.setdefault(key, index)

    def reserved_rules(self) -> None:
        for key in _RESERVED_SECTIONS:
            value = self.data.get(key)
            if value is None or isinstance(value, dict):
                continue
            if not isinstance(value, str):
                self.fail(
                    key, f"expected a mapping or a file name relative to this file, found {value!r}"
                )
                continue
            if PurePosixPath(value).is_absolute() or PureWindowsPath(value).is_absolute():
                self.fail(
                    key,
                    f"expected a file name relative to this file, found absolute path {value!r}",
                )
                continue
            if self.base_dir is not None and not (self.base_dir / value).is_file():
                self.fail(
                    key, f"file {value!r} not found beside this file (looked in {self.base_dir})"
                )


def cross_check(doc: MarkedDocument, base_dir: Path | None) -> list[Problem]:
    """Every cross-field problem in a parsed scenario mapping, in rule order."""
    checker = _Checker(doc, base_dir)
    checker.duplicate_ids()
    checker.sites_rules()
    checker.links_rules()
    checker.corridors_rules()
    checker.vehicle_kinds_rules()
    checker.fleet_rules()
    checker.vehicle_ids_rules()
    checker.incident_kinds_rules()
    checker.movements_rules()
    checker.populations_rules()
    checker.reserved_rules()
    reception_rules(checker)
    transport_rules(checker)
    return checker.problems
