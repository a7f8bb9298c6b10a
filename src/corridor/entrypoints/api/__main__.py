"""`python -m corridor.entrypoints.api`: `corridor serve` without loading every CLI group.

Errors end as they do under `corridor serve`: one `error: ...` line per
problem and exit 2, never a traceback.
"""

from __future__ import annotations

import sys

import typer

from corridor.entrypoints.cli.app import USER_ERROR_EXIT, report
from corridor.entrypoints.cli.serve import serve
from corridor.errors import CorridorError


def main() -> None:
    """Run `serve` as the only command."""
    single = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
    single.command()(serve)
    try:
        single()
    except CorridorError as error:
        report(error)
        sys.exit(USER_ERROR_EXIT)


if __name__ == "__main__":
    main()
