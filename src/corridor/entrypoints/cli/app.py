"""The root Typer application and the one place CLI errors become exit code 2.

Sub-command groups live in sibling modules (one idea each) and are attached in
`main.py`. Errors are caught in the root group's `invoke`, not around `app()`,
so the same behaviour holds under Typer's test runner as on a real shell.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from corridor.errors import CorridorError

USER_ERROR_EXIT = 2


def report(error: CorridorError) -> None:
    """Print an error as plain `error: ...` lines on stderr, no traceback."""
    for line in str(error).splitlines() or [error.message]:
        typer.echo(f"error: {line}", err=True)


class CorridorGroup(TyperGroup):
    """Root group that turns CorridorError into one message per problem and exit 2."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except CorridorError as error:
            report(error)
            raise typer.Exit(USER_ERROR_EXIT) from None


app = typer.Typer(
    name="corridor",
    cls=CorridorGroup,
    help="Plan, run and audit negotiated humanitarian evacuations.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def package_version() -> str:
    """The installed package's version, from its metadata (pyproject.toml at build)."""
    try:
        return version("corridor")
    except PackageNotFoundError:
        return "unknown (not installed)"


def _print_version(asked: bool) -> None:
    if asked:
        typer.echo(f"corridor {package_version()}")
        raise typer.Exit()


@app.callback()
def root(
    _version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_print_version,
            is_eager=True,
            help="Print the version and exit.",
        ),
    ] = False,
) -> None:
    """Plan, run and audit negotiated humanitarian evacuations."""
