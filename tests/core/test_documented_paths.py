"""Every path the README and docs/ name exists, and so does every `module.py::name` they point at."""

from __future__ import annotations

import importlib
import re
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DOCUMENTS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
ROOTS = "bot|handlers|storage|emulator|tests|benchmarks|message_templates|docs"
PATH = re.compile(rf"(?<![\w./-])((?:{ROOTS})/[\w./-]*\w)(?:::(\w+))?")


def _named(document: Path) -> list[tuple[str, str | None]]:
    return sorted(set(PATH.findall(document.read_text("utf-8"))))


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.name)
def test_every_named_path_exists(document: Path):
    missing = [path for path, _ in _named(document) if not (REPO / path).exists()]
    assert not missing, f"{document.name} names paths that do not exist: {missing}"


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.name)
def test_every_named_function_is_in_its_module(document: Path):
    absent = [
        f"{path}::{name}"
        for path, name in _named(document)
        if name
        and (REPO / path).is_file()
        and not re.search(rf"\b(def|class)\s+{name}\b|^{name}\s*[:=]", (REPO / path).read_text("utf-8"), re.M)
    ]
    assert not absent, f"{document.name} points at names its modules do not define: {absent}"


def test_the_entry_point_and_package_data_exist():
    project = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))
    for target in project["project"]["scripts"].values():
        module, _, function = target.partition(":")
        assert callable(getattr(importlib.import_module(module), function))
    for package, patterns in project["tool"]["setuptools"]["package-data"].items():
        folder = REPO / package.replace(".", "/")
        for pattern in patterns:
            assert list(folder.glob(pattern)), f"{package}: nothing matches {pattern}"
