"""`corridor forms import`: ODK Central and KoboToolbox exports through the same handlers.

The Kobo CSV here is laid out from the XForm pyxform makes of corridor's own
headcount form (its instance paths become the `/`-joined columns), with the
metadata columns KoboToolbox adds; ODK Central's CSV joins groups with `-`
and keeps the instance id in `meta-instanceID` and `KEY`; its OData JSON
nests groups and keeps it in `__id`.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from pyxform.xls2xform import convert
from typer.testing import CliRunner

from corridor.bootstrap import open_store
from corridor.entrypoints.cli.main import app

runner = CliRunner()
NOON = "2016-12-18T12:00+02:00"
BUS = "bus-aleppo-depot-2"
XF = "{http://www.w3.org/2002/xforms}"
KOBO_META = [
    "_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status",
    "_submitted_by", "__version__", "_tags", "_index",
]  # fmt: skip


def cli(*args: str, code: int = 0) -> Any:
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, result.output
    return result


@pytest.fixture
def db(tmp_path: Path) -> str:
    """East Aleppo with trip f1 (16 seated wounded on bus 2) on the road from Kefraya."""
    url = f"sqlite:///{tmp_path / 'forms.db'}"
    cli("ops", "open", "aleppo", "east-aleppo-2016", "--db", url)
    cli("ops", "plan", "aleppo", "f1", "--movement", "foua-kefraya", "--vehicle", BUS, "--db", url)
    cli("ops", "board", "aleppo", "f1", "--site", "kefraya", "--count", "wounded-seated=16",
        "--db", url)  # fmt: skip
    cli("ops", "depart", "aleppo", "f1", "--site", "kefraya", "--at", NOON, "--db", url)
    return url


def events(db: str) -> list[Any]:
    with open_store(db) as store:
        return list(store.read())


def kobo_columns(tmp_path: Path, db: str) -> list[str]:
    """The columns of a Kobo CSV export of corridor's headcount form, from its XForm."""
    cli("forms", "xlsform", "-o", "aleppo", "--out", str(tmp_path / "forms"), "--db", db)
    xform = convert(xlsform=str(tmp_path / "forms" / "corridor-aleppo-headcount.xlsx")).xform
    data = ET.fromstring(xform).find(f".//{XF}instance/{XF}data")
    assert data is not None

    def paths(node: ET.Element, prefix: str) -> list[str]:
        out: list[str] = []
        for child in node:
            name = prefix + child.tag.removeprefix(XF)
            out += paths(child, name + "/") if len(child) else [name]
        return out

    return [*paths(data, ""), *KOBO_META]


def kobo_csv(columns: list[str], rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, delimiter=";", restval="")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def headcount(uuid: str, **fields: str) -> dict[str, str]:
    row = {
        "start": "2016-12-18T12:20:00.000+02:00", "end": "2016-12-18T12:25:00.000+02:00",
        "corridor_form": "headcount", "corridor_operation": "aleppo", "site": "ramouseh",
        "vehicle": BUS, "counts/wounded_seated": "16", "meta/instanceID": f"uuid:{uuid}",
        "_uuid": uuid, "_submitted_by": "a.monitor", "_id": "1",
    }  # fmt: skip
    row.update(fields)
    return row


def test_a_kobo_export_of_corridors_form_imports_with_every_row_accounted_for(
    tmp_path: Path, db: str
) -> None:
    """Good rows go in, bad rows are refused by row and field, a second import appends nothing."""
    rows = [
        headcount("a1"),
        headcount("a2", **{"counts/wounded_seated": "many"}),
        headcount("a3", vehicle="bus-aleppo-depot-9"),
        headcount("a4", site="nowhere"),
    ]
    export = tmp_path / "kobo.csv"
    export.write_text(kobo_csv(kobo_columns(tmp_path, db), rows))
    before = len(events(db))
    result = cli("forms", "import", str(export), "--db", db, "--json", code=2)
    summary = json.loads(result.stdout)
    assert (summary["accepted"], summary["already_had"]) == (1, 0)
    refused = {r["row"]: r["reason"] for r in summary["refused"]}
    assert sorted(refused) == [3, 4, 5]
    assert refused[3].startswith("counts/wounded_seated:")
    assert refused[4].startswith("vehicle: 'bus-aleppo-depot-9'")
    assert refused[5].startswith("site: 'nowhere'")
    assert "error: row 3: counts/wounded_seated" in result.stderr
    appended = events(db)[before:]
    counted = [e for e in appended if e.type == "headcount-recorded"]
    assert [e.data()["site"] for e in counted] == ["ramouseh"]
    assert counted[0].idempotency_key == "form-submission:a1"
    assert "a.monitor" not in json.dumps([e.data() for e in appended])

    again = json.loads(cli("forms", "import", str(export), "--db", db, "--json", code=2).stdout)
    assert (again["accepted"], again["already_had"], len(again["refused"])) == (0, 1, 3)
    assert len(events(db)) == before + len(appended)


def test_the_same_submission_from_central_csv_and_odata_is_recorded_once(
    tmp_path: Path, db: str
) -> None:
    """ODK Central's CSV (`-` paths, KEY) and its OData JSON (`__id`) name one instance."""
    columns = [
        "SubmissionDate", "start", "end", "corridor_form", "corridor_operation", "site",
        "vehicle", "counts-wounded_seated", "meta-instanceID", "KEY", "SubmitterID",
        "SubmitterName", "AttachmentsPresent", "AttachmentsExpected", "Status",
        "ReviewState", "DeviceID", "Edits", "FormVersion",
    ]  # fmt: skip
    values = [
        "2016-12-18T10:26:00.000Z", "2016-12-18T12:20:00.000+02:00",
        "2016-12-18T12:25:00.000+02:00", "headcount", "aleppo", "ramouseh", BUS, "15",
        "uuid:c1", "uuid:c1", "5", "A Monitor", "0", "0", "", "", "collect:x", "0", "v1",
    ]  # fmt: skip
    exported = tmp_path / "central.csv"
    exported.write_text(",".join(columns) + "\n" + ",".join(values) + "\n")
    first = json.loads(cli("forms", "import", str(exported), "--db", db, "--json").stdout)
    assert first["accepted"] == 1
    odata = {
        "@odata.context": "https://central.example/v1/projects/7/forms/f.svc/$metadata#Submissions",
        "value": [
            {
                "__id": "uuid:c1", "corridor_form": "headcount", "corridor_operation": "aleppo",
                "site": "ramouseh", "vehicle": BUS, "counts": {"wounded_seated": 15},
                "meta": {"instanceID": "uuid:c1"},
                "__system": {"submitterName": "A Monitor", "reviewState": None},
            }
        ],
    }  # fmt: skip
    feed = tmp_path / "odata.json"
    feed.write_text(json.dumps(odata))
    second = json.loads(cli("forms", "import", str(feed), "--db", db, "--json").stdout)
    assert (second["accepted"], second["already_had"]) == (0, 1)
    counted = [e for e in events(db) if e.type == "headcount-recorded"]
    assert len(counted) == 1
    assert counted[0].data()["counts"] == {"wounded-seated": 15}


def test_incidents_import_with_their_kind_checked_against_the_deal(tmp_path: Path, db: str) -> None:
    """A reported shooting is recorded; a misspelt kind is refused naming the field."""
    records = [
        {"__id": "uuid:i1", "corridor_form": "incident", "corridor_operation": "aleppo",
         "kind": "shooting", "severity": 4, "corridor": "ramouseh", "site": "ramouseh"},
        {"__id": "uuid:i2", "corridor_form": "incident", "corridor_operation": "aleppo",
         "kind": "shootng", "severity": 4, "corridor": "ramouseh", "site": "ramouseh"},
        {"__id": "uuid:i3", "corridor_form": "incident", "corridor_operation": "aleppo",
         "kind": "shooting", "severity": 9, "corridor": "ramouseh", "site": "ramouseh"},
    ]  # fmt: skip
    feed = tmp_path / "incidents.json"
    feed.write_text(json.dumps({"value": records}))
    summary = json.loads(cli("forms", "import", str(feed), "--db", db, "--json", code=2).stdout)
    assert summary["accepted"] == 1
    reasons = {r["row"]: r["reason"] for r in summary["refused"]}
    assert reasons[2].startswith("kind: 'shootng'")
    assert reasons[3].startswith("severity: '9'")
    reported = [e.data() for e in events(db) if e.type == "incident-reported"]
    assert [(r["kind"], r["severity"]) for r in reported] == [("shooting", 4)]


def test_submissions_for_another_operation_are_refused_when_one_is_named(
    tmp_path: Path, db: str
) -> None:
    """`--operation` refuses rows of any other operation and names the field."""
    feed = tmp_path / "other.json"
    feed.write_text(json.dumps([{**_flat_headcount("o1"), "corridor_operation": "mosul"}]))
    summary = json.loads(
        cli("forms", "import", str(feed), "-o", "aleppo", "--db", db, "--json", code=2).stdout
    )
    assert summary["refused"][0]["reason"].startswith("corridor_operation: 'mosul'")


def test_a_submission_without_an_instance_id_is_refused(tmp_path: Path, db: str) -> None:
    """With no instance id there is no idempotency key, so the row is refused, not guessed."""
    record = _flat_headcount("x")
    del record["meta/instanceID"]
    feed = tmp_path / "noid.json"
    feed.write_text(json.dumps({"results": [record]}))
    summary = json.loads(cli("forms", "import", str(feed), "--db", db, "--json", code=2).stdout)
    assert summary["refused"][0]["reason"].startswith("meta/instanceID:")


def _flat_headcount(uuid: str) -> dict[str, str]:
    """A submission as KoboToolbox's API returns it: flat `/` paths, strings."""
    return {
        "corridor_form": "headcount", "corridor_operation": "aleppo", "site": "ramouseh",
        "vehicle": BUS, "counts/wounded_seated": "16", "meta/instanceID": f"uuid:{uuid}",
    }  # fmt: skip


def test_an_instance_id_far_too_long_is_refused_not_kept(tmp_path: Path, db: str) -> None:
    """An instance id of thousands of characters is refused, so no such key reaches the ledger."""
    feed = tmp_path / "long.json"
    feed.write_text(json.dumps([{**_flat_headcount("x"), "meta/instanceID": "u" * 5000}]))
    summary = json.loads(cli("forms", "import", str(feed), "--db", db, "--json", code=2).stdout)
    assert summary["refused"][0]["reason"].startswith("meta/instanceID:")
    assert "too long" in summary["refused"][0]["reason"]
