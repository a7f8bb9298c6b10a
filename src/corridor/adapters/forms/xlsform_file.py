"""XLSForms for ODK Collect and KoboCollect: headcount, arrival and incident, written with openpyxl.

Each form is one workbook with the three sheets of the XLSForm standard
(survey, choices, settings). Two calculated fields, `corridor_form` and
`corridor_operation`, travel in every submission, so the importer knows what
a row is and for which operation without trusting a file name. Counts are
integers with a constraint `. >= 0`, so a phone refuses a negative count
before it is ever sent; the server checks again at the door. Field names use
`_` (XML names), never `-`, so ODK Central's `-` group separator in its CSV
export cannot be mistaken for part of a name.
"""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from pathlib import Path

from openpyxl import Workbook

from corridor.adapters.exports.atomic import write_bytes
from corridor.services.form_choices import Choice, FormChoices, field_of

__all__ = ["FORMS", "form_id", "write_xlsforms"]

FORMS = ("headcount", "arrival", "incident")
SURVEY_COLUMNS = (
    "type", "name", "label", "hint", "required", "constraint", "constraint_message",
    "appearance", "calculation",
)  # fmt: skip
Row = dict[str, str]


def form_id(choices: FormChoices, form: str) -> str:
    """The form's id on the server: one per operation and form."""
    return f"corridor-{choices.operation}-{form}"


def write_xlsforms(choices: FormChoices, out: Path) -> list[Path]:
    """Write the three forms of one operation into `out`; the paths written, in FORMS order."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for form in FORMS:
        path = out / f"{form_id(choices, form)}.xlsx"
        survey, lists = _survey(choices, form)
        book = _workbook(choices, form, survey, lists)
        buffer = BytesIO()
        book.save(buffer)
        write_bytes(path, buffer.getvalue())
        written.append(path)
    return written


def _survey(choices: FormChoices, form: str) -> tuple[list[Row], dict[str, Sequence[Choice]]]:
    rows: list[Row] = [
        {"type": "start", "name": "start"},
        {"type": "end", "name": "end"},
        {"type": "calculate", "name": "corridor_form", "calculation": f"'{form}'"},
        {
            "type": "calculate",
            "name": "corridor_operation",
            "calculation": f"'{choices.operation}'",
        },
    ]
    if form == "incident":
        rows += _incident(choices)
        top = max(choices.severities)
        return rows, {
            "incident_kinds": [Choice(k, k.replace("-", " ")) for k in choices.incident_kinds],
            "severities": [Choice(str(s), f"{s} of {top}") for s in choices.severities],
            "corridors": choices.corridors,
            "sites": choices.sites,
        }
    sites = choices.checkpoints if form == "headcount" else choices.destinations
    where = "Checkpoint" if form == "headcount" else "Arrived at"
    rows += [
        _select("sites", "site", where),
        _select("vehicles", "vehicle", "Vehicle", appearance="autocomplete"),
        {"type": "begin_group", "name": "counts", "label": "People on board, by group"},
        *(_count(group.value, field_of(group)) for group in choices.groups),
        {"type": "end_group", "name": "counts"},
    ]
    return rows, {"sites": sites, "vehicles": choices.vehicles}


def _incident(choices: FormChoices) -> list[Row]:
    return [
        _select("incident_kinds", "kind", "What happened"),
        _select("severities", "severity", "Severity"),
        _select("corridors", "corridor", "Corridor"),
        _select("sites", "site", "Nearest site"),
        {
            "type": "text",
            "name": "note",
            "label": "Note (optional)",
            "hint": "No names: neutral roles alone read notes.",
        },
    ]


def _select(list_name: str, name: str, label: str, appearance: str = "") -> Row:
    row = {"type": f"select_one {list_name}", "name": name, "label": label, "required": "yes"}
    if appearance:
        row["appearance"] = appearance
    return row


def _count(group: str, name: str) -> Row:
    return {
        "type": "integer",
        "name": name,
        "label": group.replace("-", " ").capitalize(),
        "required": "yes",
        "constraint": ". >= 0",
        "constraint_message": "A count is 0 or more.",
    }


def _workbook(
    choices: FormChoices, form: str, survey: list[Row], lists: dict[str, Sequence[Choice]]
) -> Workbook:
    book = Workbook()
    sheet = book.active
    sheet.title = "survey"
    sheet.append(list(SURVEY_COLUMNS))
    for row in survey:
        sheet.append([row.get(column, "") for column in SURVEY_COLUMNS])
    listed = book.create_sheet("choices")
    listed.append(["list_name", "name", "label"])
    for list_name, items in lists.items():
        for item in items:
            listed.append([list_name, item.name, item.label])
    settings = book.create_sheet("settings")
    settings.append(["form_title", "form_id", "version"])
    settings.append([f"{choices.title}: {form}", form_id(choices, form), choices.version])
    return book
