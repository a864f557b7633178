"""Optional validation against the public Block Kit JSON Schema (``slack-block-kit.schema.json``).

The spec folder lives outside the repo: ``$SLACK_SPECS_DIR``, else ``<repo root>/../shared/specs``.
When it is absent every check here is skipped and only :mod:`limits` applies.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource

BLOCK_KIT_FILE = "slack-block-kit.schema.json"
MAX_REPORTED = 5


def find_specs_dir(explicit: Path | None = None) -> Path | None:
    """The specs folder if it exists: ``explicit``, else ``$SLACK_SPECS_DIR``, else ``<repo>/../shared/specs``

    An explicit path that does not exist turns schema validation off.
    """
    if explicit is not None:
        candidate = Path(explicit)
    elif os.environ.get("SLACK_SPECS_DIR"):
        candidate = Path(os.environ["SLACK_SPECS_DIR"])
    else:
        candidate = Path(__file__).resolve().parents[2].parent / "shared" / "specs"
    return candidate if candidate.is_dir() else None


class BlockKitSchema:
    """Validates blocks (each against its own ``$defs/<type>_block``) and modal / home views."""

    def __init__(self, path: Path) -> None:
        self.schema = json.loads(path.read_text(encoding="utf-8"))
        self.base = self.schema["$id"]
        self.defs: dict[str, Any] = self.schema["$defs"]
        resource = Resource.from_contents(self.schema)
        self.registry: Registry = Registry().with_resource(self.base, resource)
        self._validators: dict[str, Draft202012Validator] = {}
        self._results: dict[tuple[Any, str], list[str]] = {}

    def _validator(self, def_name: str) -> Draft202012Validator:
        if def_name not in self._validators:
            self._validators[def_name] = Draft202012Validator(
                {"$ref": f"{self.base}#/$defs/{def_name}"},
                registry=self.registry,
                format_checker=Draft202012Validator.FORMAT_CHECKER,
            )
        return self._validators[def_name]

    def check_blocks(self, blocks: list[Any], prefix: str = "blocks") -> list[str]:
        return self._memo(("blocks", prefix), blocks, self._check_blocks)

    def check_view(self, view: dict[str, Any], prefix: str = "view") -> list[str]:
        return self._memo(("view", prefix), view, self._check_view)

    def _memo(self, kind: tuple[str, str], payload: Any, check) -> list[str]:
        """Validation is pure and slow (~0.1 s for a modal); the same payloads recur a lot."""
        key = (kind, json.dumps(payload, sort_keys=True, default=str))
        if key not in self._results:
            if len(self._results) > 4096:
                self._results.clear()
            self._results[key] = check(payload, kind[1])
        return list(self._results[key])

    def _check_blocks(self, blocks: list[Any], prefix: str = "blocks") -> list[str]:
        errors: list[str] = []
        for index, block in enumerate(blocks):
            block_type = block.get("type") if isinstance(block, dict) else None
            def_name = f"{block_type}_block" if f"{block_type}_block" in self.defs else "block"
            errors += describe(self._validator(def_name).iter_errors(block), f"{prefix}[{index}]")
        return errors[:MAX_REPORTED]

    def _check_view(self, view: dict[str, Any], prefix: str = "view") -> list[str]:
        def_name = "home_view" if view.get("type") == "home" else "modal_view"
        return describe(self._validator(def_name).iter_errors(view), prefix)


@lru_cache(maxsize=8)
def load_block_kit(specs_dir: Path | None) -> BlockKitSchema | None:
    if specs_dir is None or not (specs_dir / BLOCK_KIT_FILE).is_file():
        return None
    return BlockKitSchema(specs_dir / BLOCK_KIT_FILE)


def describe(errors: Iterable[ValidationError], prefix: str) -> list[str]:
    """Readable ``"<path>: <message>"`` lines for the most specific failures, deepest first."""
    leaves = [leaf for err in errors for leaf in _leaves(err)]
    leaves.sort(key=lambda e: -len(e.absolute_path))
    lines: list[str] = []
    for leaf in leaves:
        line = f"{format_path(prefix, leaf.absolute_path)}: {_message(leaf)}"
        if line not in lines:
            lines.append(line)
    return lines[:MAX_REPORTED]


def format_path(prefix: str, path: Iterable[Any]) -> str:
    return prefix + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)


def _leaves(err: ValidationError) -> Iterator[ValidationError]:
    """Descend through ``oneOf``/``anyOf``, skipping branches rejected only for being another ``type``."""
    if not err.context:
        yield err
        return
    branches: dict[Any, list[ValidationError]] = defaultdict(list)
    for sub in err.context:
        branches[sub.relative_schema_path[0] if sub.relative_schema_path else None].append(sub)
    plausible = [b for b in branches.values() if not any(_other_type(e) for e in b)]
    for branch in plausible or list(branches.values()):
        for sub in branch:
            yield from _leaves(sub)


def _other_type(err: ValidationError) -> bool:
    return err.validator == "const" and list(err.relative_path) == ["type"]


def _message(err: ValidationError) -> str:
    value, instance = err.validator_value, err.instance
    if err.validator == "maxLength" and isinstance(instance, str):
        return f"must be at most {value} characters (got {len(instance)})"
    if err.validator == "minLength" and isinstance(instance, str):
        return f"must be at least {value} characters (got {len(instance)})"
    if err.validator == "maxItems" and isinstance(instance, list):
        return f"must have at most {value} items (got {len(instance)})"
    if err.validator == "minItems" and isinstance(instance, list):
        return f"must have at least {value} items (got {len(instance)})"
    message = err.message
    return message if len(message) <= 200 else message[:197] + "..."
