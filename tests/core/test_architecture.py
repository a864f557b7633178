"""The package DAG of docs/architecture.md holds: import-linter checks pyproject's contracts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def test_import_contracts_are_kept():
    run = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]


def test_the_core_root_holds_at_most_fourteen_modules():
    modules = sorted(p.name for p in (REPO / "bot").glob("*.py"))
    assert len(modules) <= 14, modules
