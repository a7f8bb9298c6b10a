"""The export use cases: an HXL table, the map's features, each as a role may see it.

One handler per export, called alike by the CLI and the API, so both give
the same figures. Handlers read the ledger (never write it) and return plain
values; the adapters write them as CSV or GeoJSON.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from corridor.domain.clock import Clock
from corridor.errors import InvalidInput
from corridor.protection.access import AccessRole
from corridor.services.exports.columns import Table
from corridor.services.exports.features import feature_collection
from corridor.services.exports.places import Gazetteer, Places
from corridor.services.exports.reading import (
    OperationRead,
    Provenance,
    ScenarioOf,
    read_operation,
)
from corridor.services.exports.tables import TABLES, table
from corridor.services.live import ResolveAgreement
from corridor.services.ports import LedgerStore


@dataclass(frozen=True)
class ExportWorld:
    """What an export needs besides the ledger, wired by the entry point."""

    scenario_of: ScenarioOf
    gazetteer_of: Callable[[str], Gazetteer]
    resolve: ResolveAgreement | None = None
    clock: Clock | None = None


@dataclass(frozen=True)
class HxlExport:
    table: Table
    provenance: Provenance


@dataclass(frozen=True)
class MapExport:
    collection: dict[str, Any]
    provenance: Provenance


def check_table(name: str) -> str:
    if name not in TABLES:
        raise InvalidInput(f"table: {name!r} is not an export table; choose {', '.join(TABLES)}")
    return name


def read_for_export(
    ledger: LedgerStore, operation: str, world: ExportWorld, day: date | None = None
) -> tuple[OperationRead, Places]:
    read = read_operation(
        ledger,
        operation,
        scenario_of=world.scenario_of,
        resolve=world.resolve,
        day=day,
        clock=world.clock,
    )
    return read, Places(read.scenario, world.gazetteer_of(read.scenario.id))


@dataclass(frozen=True)
class KeptSnapshots:
    """What `keep_snapshots` left beside the ledger: the fold at each day's end."""

    days: list[tuple[date, int]]
    """Each day kept by this pass and the last event of it the snapshot holds."""
    provenance: Provenance
    """The whole record's read, ending at the ledger's head."""


def keep_snapshots(ledger: LedgerStore, operation: str, world: ExportWorld) -> KeptSnapshots:
    """Keep a snapshot of the fold at the end of every day of `operation`, in one pass.

    The pass starts from the newest sound snapshot, so days already kept
    are not folded again; a report of any day then folds nothing before it.
    """
    read = read_operation(
        ledger,
        operation,
        scenario_of=world.scenario_of,
        resolve=world.resolve,
        clock=world.clock,
        keep_after=0,
        keep_days=True,
    )
    return KeptSnapshots(list(read.kept), read.provenance)


def hxl_export(
    ledger: LedgerStore,
    operation: str,
    name: str,
    role: AccessRole,
    world: ExportWorld,
    day: date | None = None,
) -> HxlExport:
    """The HXL table `name` of `operation` as `role` may see it (up to `day` when given)."""
    check_table(name)
    read, places = read_for_export(ledger, operation, world, day)
    return HxlExport(table(name, read, places, role), read.provenance)


def geojson_export(
    ledger: LedgerStore,
    operation: str,
    role: AccessRole,
    world: ExportWorld,
    day: date | None = None,
) -> MapExport:
    """The operation's map features as `role` may see them (as of the end of `day`)."""
    read, places = read_for_export(ledger, operation, world, day)
    return MapExport(feature_collection(read, places, role), read.provenance)
