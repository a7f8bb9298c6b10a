"""The import-direction contracts hold: domain/ stays pure, layers point inward."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_import_contracts_are_kept() -> None:
    """lint-imports passes every contract in pyproject.toml."""
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [str(lint_imports)], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_domain_modules_import_only_the_standard_library() -> None:
    """Every import in src/corridor/domain is stdlib or corridor.domain itself."""
    import ast

    allowed_roots = set(sys.stdlib_module_names) | {"corridor"}
    for path in (ROOT / "src" / "corridor" / "domain").rglob("*.py"):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                root = name.split(".")[0]
                assert root in allowed_roots, f"{path.name} imports {name}"
                if root == "corridor":
                    assert name.startswith("corridor.domain"), f"{path.name} imports {name}"
