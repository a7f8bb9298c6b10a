"""The simulator's compiled modules (scripts/compile-native) are current and change nothing."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

NATIVE = (
    "corridor.simulation.engine",
    "corridor.simulation.people",
    "corridor.simulation.deal",
    "corridor.domain.agreement.permit",
)
SRC = Path(__file__).resolve().parents[2] / "src"

PURE = """
import sys
from importlib import machinery
from pathlib import Path

src = Path(sys.argv[1]).resolve()
loaders = [
    (machinery.SourceFileLoader, machinery.SOURCE_SUFFIXES),
    (machinery.SourcelessFileLoader, machinery.BYTECODE_SUFFIXES),
]

def source_only(path):
    # Inside src/, modules load from their .py only; elsewhere as usual.
    if not Path(path or ".").resolve().is_relative_to(src):
        raise ImportError(path)
    return machinery.FileFinder(path, *loaders)

sys.path_hooks.insert(0, source_only)
sys.path_importer_cache.clear()
from corridor.entrypoints.cli.main import main
import corridor.simulation.engine as engine
assert engine.__file__.endswith(".py"), engine.__file__
sys.argv = ["corridor", *sys.argv[2:]]
main()
"""


def _compiled(name: str) -> Path | None:
    module = importlib.import_module(name)
    path = Path(module.__file__ or "")
    return path if path.suffix == ".so" else None


@pytest.mark.parametrize("name", NATIVE)
def test_a_compiled_module_is_never_older_than_its_source(name: str) -> None:
    """A stale extension would shadow edited code; `make setup` recompiles on any change."""
    compiled = _compiled(name)
    if compiled is None:
        pytest.skip(f"{name} runs as pure Python here")
    source = SRC.joinpath(*name.split(".")).with_suffix(".py")
    assert compiled.stat().st_mtime >= source.stat().st_mtime, (
        f"{compiled.name} is older than {source.name}: run `make setup` (or `make pure`)"
    )


def test_compiled_and_pure_python_runs_give_the_same_bytes() -> None:
    """The bundled scenario with its deal: the same JSON summary compiled or not."""
    if not any(_compiled(name) for name in NATIVE):
        pytest.skip("no compiled modules here (no C compiler when `make setup` ran)")
    arguments = ["simulate", "east-aleppo-2016", "--runs", "2", "--seed", "3", "--json"]
    arguments += ["--workers", "1"]
    compiled = subprocess.run(
        [sys.executable, "-m", "corridor.entrypoints.cli.main", *arguments],
        capture_output=True,
        text=True,
        check=True,
    )
    pure = subprocess.run(
        [sys.executable, "-c", PURE, str(SRC), *arguments],
        capture_output=True,
        text=True,
        check=True,
    )
    assert compiled.stdout
    assert pure.stdout == compiled.stdout
