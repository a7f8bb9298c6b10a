"""The `corridor agreement` command group: check a deal, explain it, print its schema.

`check` prints every error or warning as `file:line:column: path: message`,
exits 2 on any error and 0 when only warnings remain. `explain` gives one
plain-language line per term. A `SCENARIO_OR_FILE` argument is a scenario
file or bundled name (its agreement section, or `<name>.agreement.yaml`
beside it) or an agreement file.
"""

from __future__ import annotations

from typing import Any

import typer

from corridor.adapters.agreement_file import (
    LoadedAgreement,
    agreement_json_schema,
    load_agreement_ref,
)
from corridor.domain.agreement.explain import explain as explain_terms
from corridor.entrypoints.cli.app import USER_ERROR_EXIT
from corridor.entrypoints.cli.output import emit_json
from corridor.errors import InvalidInput, Problem

app = typer.Typer(
    help="Agreements: check a deal's terms, explain them in plain language.",
    no_args_is_help=True,
)

JSON_OPTION = typer.Option(False, "--json", help="Print JSON for machines.")
REF_ARGUMENT = typer.Argument(
    ..., metavar="SCENARIO_OR_FILE", help="Scenario (file or bundled name) or agreement file."
)


def _problem(problem: Problem, severity: str) -> dict[str, Any]:
    return {
        "severity": severity,
        "file": problem.file,
        "line": problem.line,
        "column": problem.column,
        "path": problem.path,
        "message": problem.message,
    }


def _summary(loaded: LoadedAgreement) -> dict[str, Any]:
    agreement = loaded.agreement
    return {
        "agreement": agreement.id,
        "name": agreement.name,
        "version_note": agreement.version_note,
        "scenario": loaded.scenario.id,
        "terms": len(agreement.terms),
    }


@app.command()
def check(ref: str = REF_ARGUMENT, as_json: bool = JSON_OPTION) -> None:
    """Validate a deal: errors (exit 2) and warnings, each at file:line:column."""
    try:
        loaded = load_agreement_ref(ref)
    except InvalidInput as error:
        if as_json:
            problems = [_problem(p, "error") for p in error.problems]
            emit_json({"ok": False, "problems": problems})
        else:
            for problem in error.problems:
                typer.echo(
                    f"{problem.file}:{problem.line}:{problem.column}: error: "
                    f"{problem.path or '<root>'}: {problem.message}"
                )
            count = len(error.problems)
            typer.echo(f"{ref}: {count} error{'s' if count != 1 else ''}", err=True)
        raise typer.Exit(USER_ERROR_EXIT) from None
    warnings = [_problem(p, "warning") for p in loaded.warnings]
    if as_json:
        emit_json({"ok": True, "problems": warnings, **_summary(loaded)})
        return
    for p in loaded.warnings:
        typer.echo(f"{p.file}:{p.line}:{p.column}: warning: {p.path}: {p.message}")
    count = len(loaded.warnings)
    typer.echo(
        f"{loaded.file}: OK: agreement {loaded.agreement.id!r} on scenario "
        f"{loaded.scenario.id!r}, {len(loaded.agreement.terms)} terms, "
        f"{count} warning{'s' if count != 1 else ''}"
    )


@app.command()
def explain(ref: str = REF_ARGUMENT, as_json: bool = JSON_OPTION) -> None:
    """The deal in plain language, one line per term."""
    loaded = load_agreement_ref(ref)
    lines = explain_terms(loaded.agreement)
    if as_json:
        terms = [{"id": t, "kind": k, "explanation": s} for t, k, s in lines]
        emit_json({**_summary(loaded), "terms": terms})
        return
    agreement = loaded.agreement
    typer.echo(f"{agreement.name} ({agreement.id})")
    typer.echo(f"Version: {agreement.version_note}")
    for term_id, kind, sentence in lines:
        typer.echo(f"{term_id} ({kind}): {sentence}")


@app.command()
def schema() -> None:
    """Print the JSON Schema of agreement files."""
    emit_json(agreement_json_schema())
