"""`python -m corridor.entrypoints.api`: `corridor serve` without loading every CLI group."""

from __future__ import annotations

import typer

from corridor.entrypoints.cli.serve import serve

if __name__ == "__main__":
    typer.run(serve)
