"""Read a simulation study back: the arrivals forecast a `--out DIR` left in `forecast.json`.

`corridor reception forecast SCENARIO --runs N --out DIR` writes the p10,
p50 and p90 bands of N seeded runs per site and hour (`forecast.json`, the
forecast view: `start`, `sites`, `hours` with each hour's people by group
and band). `--study DIR` reads it instead of running the simulations again,
so a study made once (or on a cluster) feeds the needs and the dashboards.

The file is checked whole before anything is computed: a missing or
unreadable file, a field missing or of the wrong type, an hour before the
study's start, a site the scenario does not receive people at, a group the
scenario does not know or a negative count is one error naming the file and
the field.
"""

from __future__ import annotations

import json
import math
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from corridor.domain.scenario import Scenario
from corridor.errors import InvalidInput
from corridor.reception.forecast import BANDS, GROUPS, Forecast, destination_sites

FILE = "forecast.json"
MAX_BYTES = 64 * 1024 * 1024
MAX_HOURS = 24 * 366
WRITER = "`corridor reception forecast SCENARIO --runs N --out DIR`"


def read_study(directory: Path, scenario: Scenario) -> Forecast:
    """The forecast of the study in `directory` for `scenario`; InvalidInput names what is wrong."""
    folder = Path(directory)
    if not folder.is_dir():
        raise InvalidInput(f"--study: {folder}: no such directory (write one with {WRITER})")
    file = folder / FILE
    if not file.is_file():
        raise InvalidInput(f"--study: {file}: no such file (write it with {WRITER})")
    if file.stat().st_size > MAX_BYTES:
        raise InvalidInput(f"--study: {file}: larger than {MAX_BYTES // (1024 * 1024)} MB")
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise InvalidInput(f"--study: {file}: not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise InvalidInput(
            f"--study: {file}:{error.lineno}:{error.colno}: not JSON: {error.msg}"
        ) from None
    return _forecast(data, scenario, file)


def _field(data: Any, key: str, kind: type | tuple[type, ...], file: Path, where: str = "") -> Any:
    name = f"{where}{key}"
    if not isinstance(data, dict) or key not in data:
        raise InvalidInput(f"--study: {file}: field {name!r} is missing")
    value = data[key]
    if not isinstance(value, kind) or isinstance(value, bool):
        wanted = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise InvalidInput(
            f"--study: {file}: field {name!r} must be {wanted}, found {type(value).__name__}"
        )
    return value


def _instant(text: str, file: Path, name: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            f"--study: {file}: field {name!r}: expected a local time YYYY-MM-DDTHH:MM, "
            f"found {text!r}"
        ) from None
    return moment.replace(tzinfo=None)


def _forecast(data: Any, scenario: Scenario, file: Path) -> Forecast:
    named = data.get("scenario") if isinstance(data, dict) else None
    if named is not None and named != scenario.id:
        raise InvalidInput(
            f"--study: {file}: field 'scenario' is {named!r}; this study is not of "
            f"scenario {scenario.id!r}"
        )
    source = _field(data, "source", str, file)
    runs = _field(data, "runs", int, file)
    start_text = _field(data, "start", str, file)
    start = _instant(start_text, file, "start")
    hours = _field(data, "hours", list, file)
    sites = destination_sites(scenario)
    index = {s: i for i, s in enumerate(sites)}
    groups = {g.value: j for j, g in enumerate(GROUPS)}
    cells: list[tuple[int, int, str, dict[str, Any]]] = []
    last = 0
    for n, row in enumerate(hours):
        where = f"hours[{n}]."
        site = _field(row, "site", str, file, where)
        if site not in index:
            raise InvalidInput(
                f"--study: {file}: field 'hours[{n}].site': {site!r} is not a reception site "
                f"of scenario {scenario.id!r}; choose {', '.join(sites)}"
            )
        moment = _instant(_field(row, "hour", str, file, where), file, f"hours[{n}].hour")
        offset = (moment - start).total_seconds() / 3600.0
        if offset < 0 or offset != math.floor(offset) or offset >= MAX_HOURS:
            raise InvalidInput(
                f"--study: {file}: field 'hours[{n}].hour': {moment.isoformat()} is not a whole "
                f"hour from the study's start {start_text} within {MAX_HOURS} hours"
            )
        hour = int(offset)
        last = max(last, hour)
        for band in BANDS:
            key = f"p{band}"
            counts = _field(row, key, dict, file, where)
            for group, count in counts.items():
                if group not in groups:
                    raise InvalidInput(
                        f"--study: {file}: field 'hours[{n}].{key}.{group}': not a group; "
                        f"choose {', '.join(groups)}"
                    )
                if not isinstance(count, int) or isinstance(count, bool) or count < 0:
                    raise InvalidInput(
                        f"--study: {file}: field 'hours[{n}].{key}.{group}' must be a whole "
                        f"number >= 0, found {count!r}"
                    )
            cells.append((index[site], hour, key, counts))
    grids = {
        f"p{band}": np.zeros((len(sites), last + 1, len(GROUPS)), dtype=np.int64) for band in BANDS
    }
    for site_index, hour, key, counts in cells:
        for group, count in counts.items():
            grids[key][site_index, hour, groups[group]] += count
    if int(grids["p50"].sum()) == 0:
        raise InvalidInput(f"--study: {file}: field 'hours' brings nobody to any reception site")
    return Forecast(
        source=f"study {file.parent} ({source})",
        start=start_text,
        sites=sites,
        hours=last + 1,
        p10=grids["p10"],
        p50=grids["p50"],
        p90=grids["p90"],
        runs=runs,
    )
