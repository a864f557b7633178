"""Per-method specs (required args, bot scopes, arg groups, argument types) from the public spec files.

``slack-web-api/docs.slack.dev/<method>.json`` gives ``args`` (JSON-Schema-like, form-encoded shape) and
``scope.bot``; ``slack-web-api/<method>.json`` (slack-ruby format) gives ``arg_groups``.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from jsonschema import Draft7Validator

from .method_table import BUILTIN_SPECS, JSON_ARGS, ArgGroup, MethodSpec
from .schemas import format_path

_validators: dict[int, Draft7Validator] = {}


@lru_cache(maxsize=8)
def load_method_specs(specs_dir: Path | None) -> dict[str, MethodSpec]:
    """The built-in table, overlaid with whatever the spec files say for each method."""
    specs = dict(BUILTIN_SPECS)
    if specs_dir is None:
        return specs
    api_dir = specs_dir / "slack-web-api"
    for name, builtin in BUILTIN_SPECS.items():
        docs = _read_json(api_dir / "docs.slack.dev" / f"{name}.json")
        if docs is None:
            continue
        ruby = _read_json(api_dir / f"{name}.json")
        args = docs.get("args") or {}
        groups = builtin.arg_groups
        if ruby is not None:
            groups = tuple(
                ArgGroup(
                    tuple(g["args"]), bool(g.get("required", True)), bool(g.get("mutually_exclusive", False))
                )
                for g in ruby.get("arg_groups", [])
            )
        specs[name] = MethodSpec(
            name=name,
            required=tuple(a for a in args.get("required", []) if a != "token"),
            bot_scopes=tuple((docs.get("scope") or {}).get("bot", [])),
            arg_groups=groups,
            properties=args.get("properties") or {},
            from_specs=True,
            json_input=docs.get("json_input_supported") is True,
        )
    return specs


def _read_json(path: Path) -> dict[str, Any] | None:
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def prop_types(prop: Any) -> set[str]:
    """Every JSON type a spec property allows (looking through anyOf/oneOf/allOf)."""
    if not isinstance(prop, dict):
        return set()
    declared = prop.get("type")
    types = set(declared) if isinstance(declared, list) else ({declared} if declared else set())
    for key in ("anyOf", "oneOf", "allOf"):
        for sub in prop.get(key, []):
            types |= prop_types(sub)
    return types


def to_wire(name: str, prop: Any, value: Any) -> Any:
    """Undo our normalisation where the spec types an argument as its form-encoded string."""
    types = prop_types(prop)
    if "string" not in types:
        return value
    if name in JSON_ARGS and isinstance(value, (dict, list)) and not types & {"object", "array"}:
        return json.dumps(value)
    if isinstance(value, bool) and "boolean" not in types:
        return "true" if value else "false"
    if isinstance(value, (int, float)) and not isinstance(value, bool) and not types & {"number", "integer"}:
        return str(value)
    return value


def check_arg_types(spec: MethodSpec, args: dict[str, Any]) -> list[str]:
    """Slack-style ``[ERROR] ... [json-pointer:/arg]`` messages for arguments of the wrong type/shape."""
    messages: list[str] = []
    for name, value in args.items():
        prop = spec.properties.get(name)
        if not isinstance(prop, dict):
            continue
        validator = _validators.get(id(prop))
        if validator is None:
            validator = _validators[id(prop)] = Draft7Validator(prop)
        for err in validator.iter_errors(to_wire(name, prop, value)):
            pointer = (
                format_path(name, err.absolute_path).replace(".", "/").replace("[", "/").replace("]", "")
            )
            messages.append(f"[ERROR] {err.message[:200]} [json-pointer:/{pointer}]")
    return messages


def unknown_args(spec: MethodSpec, args: dict[str, Any]) -> tuple[str, ...]:
    """Argument names the spec does not list (tolerated, like Slack does, but recorded)."""
    if not spec.properties:
        return ()
    return tuple(sorted(k for k in args if k not in spec.properties))
