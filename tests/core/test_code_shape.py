"""Code for the next reader: no module over 300 lines, no function over 50.

Declarative tables may run longer; each one allowed is named here with the reason.
"""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FOLDERS = ("bot", "handlers", "storage", "emulator", "tests", "benchmarks")
MAX_MODULE_LINES, MAX_FUNCTION_LINES = 300, 50
DECLARATIVE = {
    ("bot/metrics.py", "__init__"),  # one metric definition after another
}
MIGRATIONS = "storage/migrations/versions"  # each upgrade is the table definitions of its revision


def _modules() -> list[Path]:
    return sorted(p for folder in FOLDERS for p in (REPO / folder).rglob("*.py") if ".venv" not in p.parts)


def test_no_module_is_over_300_lines():
    long = {
        str(p.relative_to(REPO)): n for p in _modules() if (n := len(p.read_text("utf-8").splitlines())) > 300
    }
    assert not long, long


def test_no_function_is_over_50_lines():
    long = {}
    for path in _modules():
        name = str(path.relative_to(REPO))
        if name.startswith(MIGRATIONS):
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (
                isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
                and (name, node.name) not in DECLARATIVE
            ):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    long[f"{name}::{node.name}"] = length
    assert not long, long
