"""Loader API: digests, raw agreement/disruption sections with positions, name resolution."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from corridor.adapters.scenario_file import (
    bundled_path,
    load_scenario,
    load_scenario_document,
    resolve_scenario,
    scenario_digest,
)
from corridor.adapters.yaml_marks import load_yaml_file_with_marks
from corridor.errors import NotFound


@pytest.fixture
def tiny_text() -> str:
    return bundled_path("tiny").read_text(encoding="utf-8")


def test_digest_ignores_layout_and_key_order_but_not_values(tmp_path: Path, tiny_text: str) -> None:
    """Re-dumping the file with sorted keys keeps the digest; changing one count changes it."""
    data = load_yaml_file_with_marks(bundled_path("tiny")).data
    relaid = tmp_path / "relaid.yaml"
    relaid.write_text(yaml.safe_dump(data, sort_keys=True, default_flow_style=False))
    changed = tmp_path / "changed.yaml"
    changed.write_text(tiny_text.replace("count: 340", "count: 341"))
    original = scenario_digest(load_scenario(bundled_path("tiny")))
    assert scenario_digest(load_scenario(relaid)) == original
    assert scenario_digest(load_scenario(changed)) != original


def test_an_inline_agreement_comes_back_raw_with_positions(tmp_path: Path, tiny_text: str) -> None:
    """An inline `agreement:` mapping is not interpreted, and its marks point into the file."""
    path = tmp_path / "inline.yaml"
    path.write_text(tiny_text + "agreement:\n  terms:\n    - {kind: window, movement: alpha}\n")
    document = load_scenario_document(path)
    section = document.agreement_raw
    assert section is not None
    assert section.is_inline
    assert section.file is None
    assert section.value == {"terms": [{"kind": "window", "movement": "alpha"}]}
    lines = path.read_text().splitlines()
    content = section.document()
    assert content.data == section.value
    line, column = content.where("terms[0].movement")
    assert lines[line - 1][column - 1 :].startswith("alpha")
    assert content.filename == document.marks.filename
    assert document.disruption_raw is None


def test_a_named_disruption_file_is_read_beside_the_scenario(
    tmp_path: Path, tiny_text: str
) -> None:
    """`disruption: NAME` resolves in the scenario's folder and parses with its own marks."""
    (tmp_path / "tiny.disruption.yaml").write_text("events:\n  - {at: 30, kind: delay}\n")
    path = tmp_path / "named.yaml"
    path.write_text(tiny_text + "disruption: tiny.disruption.yaml\n")
    section = load_scenario_document(path).disruption_raw
    assert section is not None
    assert not section.is_inline
    assert section.file == tmp_path / "tiny.disruption.yaml"
    assert section.position[0] == len(path.read_text().splitlines())
    content = section.document()
    assert content.data == {"events": [{"at": 30, "kind": "delay"}]}
    assert content.where("events[0].kind") == (2, 20)
    assert content.filename.endswith("tiny.disruption.yaml")


def test_a_scenario_reference_is_a_path_first_then_a_bundled_name(tmp_path: Path) -> None:
    """An existing path wins; otherwise a bundled name; otherwise NotFound."""
    assert resolve_scenario("tiny") == bundled_path("tiny")
    local = tmp_path / "mine.yaml"
    local.write_text("x: 1\n")
    assert resolve_scenario(local) == local
    with pytest.raises(NotFound, match="no scenario file or bundled scenario named 'nope'"):
        resolve_scenario("nope")
