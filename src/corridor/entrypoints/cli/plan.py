"""The `corridor plan` command group: fleet plans for scenarios and BEP files.

`corridor plan bep FILE` solves a Bus Evacuation Problem file. Anything after
`plan` that is not a sub-command name is taken as a scenario path and routed
to the `scenario` sub-command, so `corridor plan SCENARIO --out DIR` reads
naturally. The scenario command lives in its own module and registers itself
here with `@app.command(SCENARIO_COMMAND)`; a scenario file whose name clashes
with a sub-command can always be reached as `corridor plan scenario NAME`.
"""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

SCENARIO_COMMAND = "scenario"
"""Name under which the scenario planning command registers on `app`."""


class PlanGroup(TyperGroup):
    """Sub-command group that sends unknown first arguments to `scenario`."""

    # Typer bundles its own copy of Click, so the context and command types are
    # left as Any rather than tied to a private module path.
    def resolve_command(self, ctx: Any, args: list[str]) -> tuple[str | None, Any, list[str]]:
        first = args[0] if args else ""
        if first and not first.startswith("-") and self.get_command(ctx, first) is None:
            scenario = self.get_command(ctx, SCENARIO_COMMAND)
            if scenario is not None:
                return SCENARIO_COMMAND, scenario, list(args)
        return super().resolve_command(ctx, args)

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        formatter.write_usage(ctx.command_path, "[SCENARIO | COMMAND] [ARGS]...")


app = typer.Typer(
    cls=PlanGroup,
    help="Plan the fleet: `plan bep FILE` for BEP files, `plan SCENARIO` for scenarios.",
    no_args_is_help=True,
)
