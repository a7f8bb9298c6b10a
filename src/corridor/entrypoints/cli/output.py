"""Printing for the CLI: Rich for people, canonical JSON for machines (`--json`)."""

from __future__ import annotations

import json
from typing import Any

import typer
from rich.console import Console

console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False)


def emit_json(value: Any) -> None:
    """Print one JSON document on stdout (sorted keys, so output is stable)."""
    typer.echo(json.dumps(value, sort_keys=True, ensure_ascii=False, indent=2))
