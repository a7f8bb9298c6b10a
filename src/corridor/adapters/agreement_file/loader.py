"""Read an agreement: inline in a scenario, in a file beside it, or named on its own.

Nothing is half-loaded: the file's shape, its references to the scenario
and the deal's structure (stage cycles) are all checked, every problem is
collected with file:line:column and field path, and only then is the domain
`Agreement` returned, together with the warnings the deal deserves.

Where the agreement lives:
- a scenario whose `agreement:` is a mapping (inline) or a file name;
- a scenario without that key, when `<scenario>.agreement.yaml` sits beside it;
- an agreement file, whose `scenario:` names the scenario (path relative to
  the agreement file, or a bundled name), else `<name>.yaml` beside it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from corridor.adapters.agreement_file.checks import cross_check
from corridor.adapters.agreement_file.convert import to_domain
from corridor.adapters.agreement_file.models import TERM_MODELS, AgreementFile
from corridor.adapters.scenario_file import (
    ScenarioDocument,
    bundled_names,
    load_scenario_document,
    resolve_scenario,
)
from corridor.adapters.scenario_file.messages import describe, found
from corridor.adapters.yaml_marks import MarkedDocument, join_path, load_yaml_file_with_marks
from corridor.domain.agreement import Agreement
from corridor.domain.agreement.analysis import ERROR, analyse
from corridor.domain.scenario import Scenario
from corridor.errors import InvalidInput, NotFound, Problem

SUFFIX = ".agreement.yaml"


@dataclass(frozen=True)
class LoadedAgreement:
    """A validated agreement, the scenario it refers to, and its warnings."""

    agreement: Agreement
    scenario: Scenario
    warnings: tuple[Problem, ...]
    file: str
    data: Any = None
    """The agreement as written (plain data), for keeping in a ledger."""
    scenario_ref: str = ""
    """Where the scenario came from: a bundled name or an absolute file path."""


def _problems_from(error: ValidationError, doc: MarkedDocument, prefix: str) -> list[Problem]:
    out: list[Problem] = []
    for item in error.errors():
        loc = list(item["loc"])
        model: Any = AgreementFile
        relative = loc
        # A discriminated union puts the term's kind into the location; drop it.
        if len(loc) >= 3 and loc[0] == "terms" and loc[2] in TERM_MODELS:
            model = TERM_MODELS[str(loc[2])]
            relative = loc[3:]
            loc = loc[:2] + loc[3:]
        path = join_path(loc)
        kind = item["type"]
        if kind == "union_tag_invalid":
            message = (
                f"unknown term kind {found(item.get('input', {}).get('kind'))}; expected one of: "
                f"{', '.join(TERM_MODELS)}"
            )
            path = f"{path}.kind"
        elif kind == "union_tag_not_found":
            message = f"missing required field 'kind' (one of: {', '.join(TERM_MODELS)})"
        else:
            message = describe({**item, "loc": tuple(relative)}, model)
        if kind in ("missing", "union_tag_not_found"):
            line, column = doc.where(join_path(loc[:-1]) if kind == "missing" else path)
        elif kind == "extra_forbidden":
            line, column = doc.where_key(path)
        else:
            line, column = doc.where(path)
        shown = f"{prefix}.{path}" if prefix and path else (prefix or path)
        out.append(Problem(doc.filename, line, column, shown, message))
    return out


def _raise(filename: str, problems: list[Problem]) -> None:
    unique = sorted(set(problems), key=lambda p: (p.line, p.column, p.path, p.message))
    noun = "problem" if len(unique) == 1 else "problems"
    raise InvalidInput(f"{filename}: {len(unique)} {noun}", unique)


def parse_agreement(doc: MarkedDocument, scenario: Scenario, prefix: str = "") -> LoadedAgreement:
    """Validate agreement data (with marks) against `scenario`; InvalidInput on any error.

    `prefix` is prepended to field paths (`agreement` when the deal is inline).
    """
    if not isinstance(doc.data, dict):
        line, column = doc.where("")
        problem = Problem(
            doc.filename, line, column, prefix, "expected a mapping of agreement fields"
        )
        raise InvalidInput(f"{doc.filename} is not an agreement", [problem])
    try:
        model = AgreementFile.model_validate_json(json.dumps(doc.data), strict=True)
    except ValidationError as error:
        _raise(doc.filename, _problems_from(error, doc, prefix))
        raise AssertionError("unreachable") from None
    problems = cross_check(model, doc, scenario, prefix)
    if problems:
        _raise(doc.filename, problems)
    agreement = to_domain(model, scenario)
    errors: list[Problem] = []
    warnings: list[Problem] = []
    for defect in analyse(agreement, scenario):
        line, column = doc.where(defect.path)
        shown = f"{prefix}.{defect.path}" if prefix else defect.path
        problem = Problem(doc.filename, line, column, shown, defect.message)
        (errors if defect.severity == ERROR else warnings).append(problem)
    if errors:
        _raise(doc.filename, errors)
    warnings.sort(key=lambda p: (p.line, p.column, p.path))
    return LoadedAgreement(agreement, scenario, tuple(warnings), doc.filename, doc.data)


def agreement_of(document: ScenarioDocument, scenario_file: Path | None = None) -> LoadedAgreement:
    """The agreement of a loaded scenario: its section, or the file beside it."""
    raw = document.agreement_raw
    if raw is not None:
        return parse_agreement(
            raw.document(), document.scenario, "agreement" if raw.is_inline else ""
        )
    if scenario_file is not None:
        beside = scenario_file.with_name(scenario_file.name.removesuffix(".yaml") + SUFFIX)
        if beside.exists():
            return parse_agreement(
                load_yaml_file_with_marks(beside, _display(beside)), document.scenario
            )
    raise NotFound(
        f"scenario {document.scenario.id!r} has no agreement: add an `agreement:` section, "
        f"or a file named *{SUFFIX} beside it"
    )


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _scenario_for(doc: MarkedDocument, file: Path) -> Path:
    named = doc.data.get("scenario") if isinstance(doc.data, dict) else None
    if isinstance(named, str) and named:
        candidate = file.parent / named
        if candidate.exists():
            return candidate
        if named in bundled_names():
            return resolve_scenario(named)
        line, column = doc.where("scenario")
        problem = Problem(
            doc.filename,
            line,
            column,
            "scenario",
            f"no scenario file {named!r} beside this file and no bundled scenario of that name",
        )
        raise InvalidInput(f"{doc.filename}: scenario not found", [problem])
    beside = file.with_name(file.name.removesuffix(SUFFIX).removesuffix(".yaml") + ".yaml")
    if beside != file and beside.exists():
        return beside
    line, column = doc.where("")
    problem = Problem(
        doc.filename, line, column, "scenario", "the agreement does not name its scenario"
    )
    raise InvalidInput(f"{doc.filename}: no scenario", [problem])


def scenario_ref(path: Path) -> str:
    """A bundled scenario's name, else the file's absolute path."""
    resolved = path.resolve()
    for name in bundled_names():
        if resolve_scenario(name).resolve() == resolved:
            return name
    return str(resolved)


def load_agreement_ref(ref: str | Path) -> LoadedAgreement:
    """Load from a scenario (file or bundled name) or from an agreement file."""
    path = resolve_scenario(ref) if not Path(ref).exists() else Path(ref)
    doc = load_yaml_file_with_marks(path, _display(path))
    if isinstance(doc.data, dict) and "terms" in doc.data and "sites" not in doc.data:
        scenario_file = _scenario_for(doc, path)
        loaded = parse_agreement(doc, load_scenario_document(scenario_file).scenario)
    else:
        scenario_file = path
        loaded = agreement_of(load_scenario_document(path), path)
    return replace(loaded, scenario_ref=scenario_ref(scenario_file))
