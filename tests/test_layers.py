"""The layer rules of docs/architecture.md hold: import-linter checks the contracts of
pyproject.toml (`[tool.importlinter]`) on the package as it is, and none of them is loosened
by an ignored import."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _contracts() -> list[dict]:
    with open(ROOT / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["tool"]["importlinter"]["contracts"]


def test_the_import_contracts_are_kept():
    assert LINT_IMPORTS.exists(), "import-linter is missing: install the test extra (pip install -e '.[test]')"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    result = subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, (
        f"a layer rule of docs/architecture.md is broken (`lint-imports` to see it again):\n"
        f"{result.stdout}{result.stderr}")


def test_no_contract_is_loosened():
    """No import is ignored and no layer is optional: a rule that does not hold is fixed in the
    code, not in the contract."""
    contracts = _contracts()
    allowed = {module: c["allowed_importers"] for c in contracts if c["type"] == "protected"
               for module in c["protected_modules"]}
    assert allowed["gcmtrack.portal"] == ["gcmtrack.cli.serve"]
    assert allowed["gcmtrack.store.models"] == ["gcmtrack.store"]
    assert sorted(allowed["django.http"]) == ["django", "gcmtrack.portal"]
    assert [c["name"] for c in contracts if "ignore_imports" in c or c.get("allow_indirect_imports")] == []
    layers = next(c for c in contracts if c["type"] == "layers")
    assert layers["exhaustive"] is True and "exhaustive_ignores" not in layers
    assert [layer for layer in layers["layers"] if "(" in layer] == []
