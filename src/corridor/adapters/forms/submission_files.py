"""Submissions as ODK Central and KoboToolbox export them: CSV and JSON, read into `Submission`s.

The shapes read (from the servers' documentation and exports):
- ODK Central CSV (`.csv` from "Download", or `Submissions.csv` in the zip):
  comma separated, group paths joined with `-` (`counts-civilians`),
  `meta-instanceID` and `KEY` hold the instance id, then `SubmitterID`,
  `SubmitterName`, `ReviewState` and the like.
- KoboToolbox CSV (XML values and headers): `;` or `,` separated, group paths
  joined with `/` (`counts/civilians`), the instance id in `_uuid` (no
  `uuid:` prefix) or `meta/instanceID`, then `_id`, `_submission_time`,
  `_validation_status`...
- ODK Central OData JSON (`{"value": [...]}`): groups as nested objects, the
  instance id in `__id` and `meta.instanceID`, server metadata in `__system`.
- KoboToolbox API JSON (`{"results": [...]}`) or a bare list: flat keys with
  `/` paths, values as strings.
Fields are keyed by their last path part: corridor's forms name no field with
`-` or `/`, so the separators cannot be mistaken. Submitter names and other
server metadata are dropped here: nothing that could name a person goes on.
Rows are numbered as a person finds them: the spreadsheet row in a CSV (the
header is row 1), the position in the list (from 1) in JSON.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from corridor.adapters.bounded_files import MAX_INPUT_BYTES, read_bounded_text
from corridor.errors import InvalidInput
from corridor.services.form_imports import Submission

__all__ = ["read_submission_file", "submissions_from_csv", "submissions_from_json"]

INSTANCE_FIELDS = ("instanceID", "KEY", "__id", "_uuid")
"""Where each export keeps the instance id, in order of preference."""
DROPPED = frozenset({"__system", "SubmitterName", "SubmitterID", "_submitted_by", "_notes"})


def read_submission_file(path: Path) -> list[Submission]:
    """The submissions in an exported CSV or JSON file (by suffix, else by content)."""
    text = read_bounded_text(path, MAX_INPUT_BYTES, "submissions file")
    kind = path.suffix.lower()
    if kind == ".json" or (kind != ".csv" and text.lstrip()[:1] in ("{", "[")):
        return submissions_from_json(text, str(path))
    return submissions_from_csv(text)


def submissions_from_csv(text: str) -> list[Submission]:
    """Submissions from an ODK Central or KoboToolbox CSV export."""
    text = text.removeprefix("\ufeff")
    header = text.split("\n", 1)[0]
    delimiter = ";" if header.count(";") > header.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    columns = next(reader, None)
    if columns is None:
        return []
    names = [_leaf(c) for c in columns]
    found = []
    for row, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        fields = {
            name: value
            for name, value, column in zip(names, values, columns, strict=False)
            if name not in DROPPED and column not in DROPPED and value != ""
        }
        found.append(Submission(row, _instance(fields), fields))
    return found


def submissions_from_json(text: str, where: str = "JSON") -> list[Submission]:
    """Submissions from ODK Central's OData JSON, KoboToolbox's API JSON, or a bare list."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidInput(f"{where}: not JSON ({error.msg} at line {error.lineno})") from None
    return submissions_from_records(_records(data, where))


def submissions_from_records(records: list[Any]) -> list[Submission]:
    """Submissions from a list of records as the OData feed or the Kobo API return them."""
    found = []
    for row, record in enumerate(records, start=1):
        fields = dict(_flat(record)) if isinstance(record, Mapping) else {}
        found.append(Submission(row, _instance(fields), fields))
    return found


def _records(data: Any, where: str) -> list[Any]:
    if isinstance(data, list):
        return data
    if isinstance(data, Mapping):
        for key in ("value", "results"):
            if isinstance(data.get(key), list):
                return list(data[key])
    raise InvalidInput(
        f"{where}: expected a list of submissions, an OData document ({{'value': [...]}}) "
        "or a KoboToolbox answer ({'results': [...]})"
    )


def _flat(record: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    for key, value in record.items():
        if key in DROPPED or value is None:
            continue
        if isinstance(value, Mapping):
            yield from _flat(value)
        elif isinstance(value, bool | int | float | str):
            yield _leaf(key), str(value)


def _leaf(column: str) -> str:
    name = column.strip().rsplit("/", 1)[-1]
    return name if name.startswith("_") else name.rsplit("-", 1)[-1]


def _instance(fields: Mapping[str, str]) -> str | None:
    for name in INSTANCE_FIELDS:
        if fields.get(name, "").strip():
            return fields[name].strip()
    return None
