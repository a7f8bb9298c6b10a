"""The example in docs/scenario-format.md is a valid scenario."""

from __future__ import annotations

import re
from pathlib import Path

from corridor.adapters.scenario_file import load_scenario_document

DOC = Path(__file__).resolve().parents[2] / "docs" / "scenario-format.md"


def test_the_documented_example_validates(tmp_path: Path) -> None:
    """The `## Example` YAML loads, with its agreement file named beside it."""
    text = DOC.read_text(encoding="utf-8")
    example = text.split("## Example", 1)[1]
    block = re.search(r"```yaml\n(.*?)```", example, re.S)
    assert block is not None
    path = tmp_path / "example.yaml"
    path.write_text(block.group(1), encoding="utf-8")
    (tmp_path / "example.agreement.yaml").write_text("terms: []\n", encoding="utf-8")
    document = load_scenario_document(path)
    assert document.scenario.people() == 350
    assert document.agreement_raw is not None
    assert document.agreement_raw.file == tmp_path / "example.agreement.yaml"
