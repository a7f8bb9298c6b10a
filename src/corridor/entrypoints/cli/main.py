"""Console script entry point: attaches every command group to the root app."""

from __future__ import annotations

from corridor.entrypoints.cli import (  # noqa: F401 (operation: init, demo)
    agreement,
    export,
    forms,
    ledger,
    operation,
    ops,
    people,
    plan,
    plan_scenario,
    reception,
    report,
    scenario,
    serve,
    simulate,
    users,
)
from corridor.entrypoints.cli.app import app

# Command groups register themselves on import; keep one import per module.
app.add_typer(plan.app, name="plan")
app.add_typer(scenario.app, name="scenario")
app.add_typer(users.app, name="users")
app.add_typer(ledger.app, name="ledger")
app.add_typer(agreement.app, name="agreement")
app.add_typer(ops.app, name="ops")
app.add_typer(people.app, name="people")
app.add_typer(reception.app, name="reception")
app.add_typer(export.app, name="export")
app.add_typer(report.app, name="report")
app.add_typer(forms.app, name="forms")


def main() -> None:
    """Run the `corridor` command."""
    app()


if __name__ == "__main__":
    main()
