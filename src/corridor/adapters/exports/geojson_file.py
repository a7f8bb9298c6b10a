"""GeoJSON text (RFC 7946) of an operation's map features, written whole or not at all."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from corridor.adapters.exports.atomic import write_bytes

MEDIA_TYPE = "application/geo+json"


def geojson_bytes(collection: dict[str, Any]) -> bytes:
    return orjson.dumps(collection, option=orjson.OPT_SORT_KEYS)


def write_geojson(collection: dict[str, Any], path: Path) -> int:
    """Write the feature collection to `path`; the number of features."""
    write_bytes(path, geojson_bytes(collection))
    return len(collection["features"])
