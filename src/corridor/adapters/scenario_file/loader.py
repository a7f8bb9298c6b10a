"""Read scenario files: parse with positions, validate, check, build the domain value.

Nothing is half-loaded: either every check passes and a `Scenario` comes back,
or `InvalidInput` carries every problem found, sorted by position. The
`agreement` and `disruption` sections belong to other readers; they come back
raw (`RawSection`) with their positions so those readers can report
file:line:column in the same form.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from corridor.adapters.scenario_file.checks import cross_check
from corridor.adapters.scenario_file.convert import to_domain
from corridor.adapters.scenario_file.messages import problems_from
from corridor.adapters.scenario_file.models import ScenarioFile
from corridor.adapters.yaml_marks import (
    MarkedDocument,
    load_yaml_file_with_marks,
    load_yaml_with_marks,
)
from corridor.domain.scenario import Scenario
from corridor.errors import InvalidInput, NotFound, Problem

BUNDLED_PACKAGE = "corridor.scenarios"
SUFFIX = ".yaml"


@dataclass(frozen=True)
class RawSection:
    """An `agreement` or `disruption` section as written: inline mapping or file name.

    `document()` gives the section's content with positions either way: the
    inline mapping re-rooted at the section, or the named file parsed.
    """

    key: str
    value: dict[str, Any] | str
    scenario_marks: MarkedDocument
    base_dir: Path

    @property
    def is_inline(self) -> bool:
        return isinstance(self.value, dict)

    @property
    def file(self) -> Path | None:
        """The named file, resolved beside the scenario; None when inline."""
        return None if isinstance(self.value, dict) else self.base_dir / self.value

    @property
    def position(self) -> tuple[int, int]:
        """Where the section's value starts in the scenario file."""
        return self.scenario_marks.where(self.key)

    def document(self) -> MarkedDocument:
        """The section's content with marks; paths are relative to the section."""
        if self.file is None:
            return self.scenario_marks.subdocument(self.key)
        return load_yaml_file_with_marks(self.file, _display(self.file))


@dataclass(frozen=True)
class ScenarioDocument:
    """A loaded scenario plus what other readers need from its file."""

    scenario: Scenario
    marks: MarkedDocument
    base_dir: Path
    agreement_raw: RawSection | None = None
    disruption_raw: RawSection | None = None


def _display(path: Path) -> str:
    """A file name for messages: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _raw(doc: MarkedDocument, key: str, base_dir: Path) -> RawSection | None:
    value = doc.data.get(key)
    if value is None:
        return None
    return RawSection(key, value, doc, base_dir)


def parse_scenario(text: str, filename: str, base_dir: Path | None = None) -> ScenarioDocument:
    """Validate scenario text; `base_dir` resolves agreement/disruption file names.

    Without `base_dir` (text not from a file) named files are not looked for.
    """
    return validate_document(load_yaml_with_marks(text, filename), base_dir)


def validate_document(doc: MarkedDocument, base_dir: Path | None) -> ScenarioDocument:
    """Validate parsed scenario data; every problem is collected before raising."""
    filename = doc.filename
    if not isinstance(doc.data, dict):
        line, column = doc.where("")
        what = "an empty file" if doc.data is None else "something else"
        problem = Problem(
            filename, line, column, "", f"expected a mapping of scenario fields, found {what}"
        )
        raise InvalidInput(f"{filename} is not a scenario", [problem])
    problems: list[Problem] = []
    model: ScenarioFile | None = None
    try:
        model = ScenarioFile.model_validate_json(json.dumps(doc.data), strict=True)
    except ValidationError as error:
        problems.extend(problems_from(error, ScenarioFile, doc))
    problems.extend(cross_check(doc, base_dir))
    if problems or model is None:
        unique = sorted(set(problems), key=lambda p: (p.line, p.column, p.path, p.message))
        noun = "problem" if len(unique) == 1 else "problems"
        raise InvalidInput(f"{filename}: {len(unique)} {noun}", unique)
    where = base_dir if base_dir is not None else Path.cwd()
    return ScenarioDocument(
        scenario=to_domain(model),
        marks=doc,
        base_dir=where,
        agreement_raw=_raw(doc, "agreement", where),
        disruption_raw=_raw(doc, "disruption", where),
    )


def load_scenario_document(path: str | Path) -> ScenarioDocument:
    """Load a scenario file with its raw agreement/disruption sections and marks."""
    file = Path(path)
    if file.is_dir():
        problem = Problem(str(file), 1, 1, "", "expected a scenario file, found a directory")
        raise InvalidInput(f"{file} is a directory", [problem])
    return validate_document(load_yaml_file_with_marks(file, _display(file)), file.parent)


def load_scenario(path: str | Path) -> Scenario:
    """Load and validate one scenario file into the domain value."""
    return load_scenario_document(path).scenario


def _bundled_dir() -> Path:
    return Path(str(resources.files(BUNDLED_PACKAGE)))


def bundled_names() -> list[str]:
    """Names of the scenarios shipped with corridor, sorted."""
    return sorted(
        p.name.removesuffix(SUFFIX)
        for p in _bundled_dir().iterdir()
        if p.name.endswith(SUFFIX) and p.name.count(".") == 1
    )


def bundled_path(name: str) -> Path:
    """The file of a bundled scenario; NotFound names the ones that exist."""
    if name not in bundled_names():
        raise NotFound(f"no bundled scenario named {name!r}; bundled: {', '.join(bundled_names())}")
    return _bundled_dir() / f"{name}{SUFFIX}"


def load_bundled_document(name: str) -> ScenarioDocument:
    """A bundled scenario with its raw sections and marks."""
    return load_scenario_document(bundled_path(name))


def load_bundled(name: str) -> Scenario:
    """A bundled scenario by name (e.g. `east-aleppo-2016`, `tiny`)."""
    return load_bundled_document(name).scenario


def resolve_scenario(ref: str | Path) -> Path:
    """A CLI `SCENARIO` argument: an existing file path, else a bundled scenario name."""
    candidate = Path(ref)
    if candidate.exists():
        return candidate
    if str(ref) in bundled_names():
        return bundled_path(str(ref))
    raise NotFound(
        f"no scenario file or bundled scenario named {str(ref)!r}; "
        f"bundled: {', '.join(bundled_names())}"
    )


def load_scenario_ref(ref: str | Path) -> ScenarioDocument:
    """Load a scenario named by file path or bundled name."""
    return load_scenario_document(resolve_scenario(ref))
