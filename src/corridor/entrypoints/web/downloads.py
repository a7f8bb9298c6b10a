"""The dashboard's downloads: HXL tables, GeoJSON and the day's situation report, per role.

A signed-in browser carries a session cookie, not a bearer token, so the
API's `GET /operations/{op}/exports/{kind}` is mirrored here at
`/ops/{op}/exports/{kind}`: the same export handlers, called for the
session's role (liaisons and observers get aggregates only), with the same
download names. The sitrep is the HTML report for the operation's current
day (or `day`), in the page's language.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from corridor.adapters.exports.geojson_file import MEDIA_TYPE, geojson_bytes
from corridor.adapters.exports.hxl_csv import hxl_text
from corridor.adapters.exports.sitrep.render import sitrep_html
from corridor.entrypoints.api.context import ApiContext
from corridor.entrypoints.api.models import ID_PATTERN
from corridor.entrypoints.api.routes_exports import WORLD, TableName
from corridor.entrypoints.web import session
from corridor.entrypoints.web.i18n import chosen
from corridor.errors import CorridorError
from corridor.protection.access import Permission
from corridor.services.exports.handlers import geojson_export, hxl_export
from corridor.services.exports.sitrep import sitrep_for
from corridor.services.live import OperationRecord

router = APIRouter(include_in_schema=False)

OperationId = Annotated[str, Path(pattern=ID_PATTERN, max_length=100)]
TABLES: tuple[TableName, ...] = ("figures", "custody", "trips", "incidents", "claims", "sites")
"""The HXL tables the dashboard links to, in the order it lists them."""


def _today(ctx: ApiContext, operation: str) -> date:
    def local(record: OperationRecord) -> date:
        zone = ZoneInfo(record.world.timezone if record.world is not None else "UTC")
        return record.clock.now(ctx.services.wall.now()).astimezone(zone).date()

    found: date = ctx.live.read(operation, local)
    return found


@router.get("/ops/{operation}/exports/{kind}")
async def download(
    request: Request,
    operation: OperationId,
    kind: Literal["hxl", "geojson", "sitrep"],
    table: Annotated[TableName, Query()] = "figures",
    day: Annotated[date | None, Query()] = None,
) -> Response:
    ctx = session.context(request)
    found = await session.signed_in(request, ctx)
    if found is None or found[0].operation != operation:
        return JSONResponse({"ok": False, "error": "sign in first"}, 401)
    who = found[0]
    try:
        who.require(Permission.READ, operation)
        if kind == "hxl":
            exported = await run_in_threadpool(
                hxl_export, ctx.ledger, operation, table, who.role, WORLD, day
            )
            name = f"{operation}-{table}{'-' + day.isoformat() if day else ''}.csv"
            body, media = hxl_text(exported.table).encode(), "text/csv; charset=utf-8"
        elif kind == "geojson":
            mapped = await run_in_threadpool(
                geojson_export, ctx.ledger, operation, who.role, WORLD, day
            )
            name = f"{operation}{'-' + day.isoformat() if day else ''}.geojson"
            body, media = geojson_bytes(mapped.collection), MEDIA_TYPE
        else:
            on: date = day if day is not None else await run_in_threadpool(_today, ctx, operation)
            lang = chosen(request.cookies.get(session.LANG_COOKIE))
            report = await run_in_threadpool(sitrep_for, ctx.ledger, operation, on, who.role, WORLD)
            html = await run_in_threadpool(sitrep_html, report, lang)
            name = f"{operation}-sitrep-{on.isoformat()}-{lang}.html"
            body, media = html.encode(), "text/html; charset=utf-8"
    except CorridorError as error:
        return HTMLResponse(str(error), 422)
    disposition = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(body, media_type=media, headers=disposition)
