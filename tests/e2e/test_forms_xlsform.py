"""`corridor forms xlsform`: the operation's forms, converted to XForm XML by pyxform.

pyxform's own check (ODK Validate) needs Java, which this machine does not
have; these tests convert with pyxform and read the XForm it made.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from pyxform.xls2xform import convert
from typer.testing import CliRunner

from corridor.adapters.scenario_file import load_scenario_ref
from corridor.entrypoints.cli.main import app

runner = CliRunner()
XF = "{http://www.w3.org/2002/xforms}"


@pytest.fixture
def forms(tmp_path: Path) -> tuple[str, Path]:
    """The East Aleppo operation on an SQLite ledger, and its forms written to a folder."""
    db = f"sqlite:///{tmp_path / 'forms.db'}"
    opened = runner.invoke(app, ["ops", "open", "aleppo", "east-aleppo-2016", "--db", db])
    assert opened.exit_code == 0, opened.output
    made = runner.invoke(
        app, ["forms", "xlsform", "-o", "aleppo", "--out", str(tmp_path / "forms"), "--db", db]
    )
    assert made.exit_code == 0, made.output
    return db, tmp_path / "forms"


def xform(folder: Path, form: str) -> ET.Element:
    converted = convert(xlsform=str(folder / f"corridor-aleppo-{form}.xlsx"))
    assert converted.warnings == []
    return ET.fromstring(converted.xform)


def items(root: ET.Element, list_name: str) -> list[str]:
    found = root.find(f".//{XF}instance[@id='{list_name}']")
    assert found is not None, list_name
    return [item.findtext(f"{XF}name") or "" for item in found.iter(f"{XF}item")]


def test_every_form_converts_to_an_xform_named_for_the_operation(forms: tuple[str, Path]) -> None:
    """Headcount, arrival and incident convert with no warning, each with its id and version."""
    _, folder = forms
    versions = set()
    for form in ("headcount", "arrival", "incident"):
        data = xform(folder, form).find(f".//{XF}instance/{XF}data")
        assert data is not None
        assert data.get("id") == f"corridor-aleppo-{form}"
        versions.add(data.get("version"))
        assert data.find(f"{XF}meta/{XF}instanceID") is not None
    assert len(versions) == 1


def test_choice_lists_are_the_operations_fleet_sites_and_deal(forms: tuple[str, Path]) -> None:
    """Vehicles are the fleet's ids, sites the scenario's, kinds the deal's closed list."""
    _, folder = forms
    scenario = load_scenario_ref("east-aleppo-2016").scenario
    headcount = xform(folder, "headcount")
    assert items(headcount, "vehicles") == list(scenario.vehicle_ids())
    site_ids = {s.id for s in scenario.sites}
    assert set(items(headcount, "sites")) <= site_ids
    destinations = {d for m in scenario.movements for d in m.destinations}
    assert set(items(xform(folder, "arrival"), "sites")) == destinations
    incident = xform(folder, "incident")
    assert "shooting" in items(incident, "incident_kinds")
    assert items(incident, "severities") == ["1", "2", "3", "4", "5"]
    assert set(items(incident, "corridors")) == {c.id for c in scenario.corridors}


def test_counts_are_whole_numbers_a_phone_refuses_below_zero(forms: tuple[str, Path]) -> None:
    """Each group's count is a required integer with the constraint `. >= 0`."""
    _, folder = forms
    binds = {b.get("nodeset"): b for b in xform(folder, "headcount").iter(f"{XF}bind")}
    count = binds["/data/counts/civilians"]
    assert count.get("type") == "int"
    assert count.get("required") == "true()"
    assert count.get("constraint") == ". >= 0"
    assert binds["/data/corridor_form"].get("calculate") == "'headcount'"


def test_forms_for_an_operation_not_opened_are_refused(tmp_path: Path) -> None:
    """An operation the ledger does not have is refused, exit 2, and no form is written."""
    db = f"sqlite:///{tmp_path / 'forms.db'}"
    runner.invoke(app, ["ops", "open", "aleppo", "east-aleppo-2016", "--db", db])
    result = runner.invoke(
        app, ["forms", "xlsform", "-o", "nowhere", "--out", str(tmp_path / "f"), "--db", db]
    )
    assert result.exit_code == 2
    assert "nowhere" in result.output
    assert not (tmp_path / "f").exists()
