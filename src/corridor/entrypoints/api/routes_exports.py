"""Exports over HTTP: `GET /operations/{op}/exports/{kind}` as HXL CSV or GeoJSON.

The same handlers as `corridor export`, for the caller's role: liaisons and
observers get aggregates only. Built on a worker thread (an export reads the
operation's whole stream), answered whole with a download name.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Response

from corridor.adapters.exports.gazetteer import gazetteer_for
from corridor.adapters.exports.geojson_file import MEDIA_TYPE, geojson_bytes
from corridor.adapters.exports.hxl_csv import hxl_text
from corridor.adapters.openings import FileOpenings
from corridor.adapters.scenario_file import load_scenario_ref
from corridor.domain.scenario import Scenario
from corridor.entrypoints.api.auth import Caller, Context
from corridor.entrypoints.api.errors import ERROR_RESPONSES
from corridor.entrypoints.api.models import ID_PATTERN
from corridor.protection.access import Permission
from corridor.services.exports.handlers import ExportWorld, geojson_export, hxl_export

router = APIRouter(responses=ERROR_RESPONSES)

OperationId = Annotated[str, Path(pattern=ID_PATTERN, max_length=100)]
TableName = Literal["figures", "custody", "trips", "incidents", "claims", "sites"]


def _scenario(scenario_id: str) -> Scenario:
    return load_scenario_ref(scenario_id).scenario


WORLD = ExportWorld(
    scenario_of=_scenario, gazetteer_of=gazetteer_for, resolve=FileOpenings().resolve
)


@router.get(
    "/operations/{operation}/exports/{kind}",
    tags=["exports"],
    response_class=Response,
    responses={
        200: {
            "content": {"text/csv": {}, MEDIA_TYPE: {}},
            "description": "HXL-tagged CSV (hxl) or RFC 7946 GeoJSON (geojson)",
        }
    },
)
def export(
    operation: OperationId,
    kind: Literal["hxl", "geojson"],
    who: Caller,
    ctx: Context,
    table: Annotated[TableName, Query(description="HXL table (hxl only).")] = "figures",
    day: Annotated[date | None, Query(description="Up to the end of this day.")] = None,
) -> Response:
    """One export of the operation as the caller's role may see it, traced to the ledger."""
    who.require(Permission.READ, operation)
    if kind == "hxl":
        exported = hxl_export(ctx.ledger, operation, table, who.role, WORLD, day)
        name = f"{operation}-{table}{'-' + day.isoformat() if day else ''}.csv"
        return Response(
            hxl_text(exported.table),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
    mapped = geojson_export(ctx.ledger, operation, who.role, WORLD, day)
    name = f"{operation}{'-' + day.isoformat() if day else ''}.geojson"
    return Response(
        geojson_bytes(mapped.collection),
        media_type=MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
