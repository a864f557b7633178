"""One test policy: a base every module shares, with each module overriding only what differs.

`policy_dict(**overrides)` deep-merges the overrides (one keyword per top-level TOML table)
onto `BASE`; a value of `None` removes that key. `policy_toml` writes the result as TOML,
`policy_file` writes it to a file and `make_policy` loads it as the app would; `local_webhook`
is a webhook table for a test's own http:// receiver.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

from bot.policy.model import Policy, load_policy
from tests.conftest import BOB

APPROVALS = "CAPPROVALS"
SUPPORT_ROUTE = "Contact support@example.com or open a ticket at https://help.example.com."

BASE: dict[str, Any] = {
    "channels": {"approvals": APPROVALS},
    "approvals": {"approvers": [BOB]},
}

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def merge(base: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """`base` with `overrides` laid over it: tables merge key by key, `None` removes a key."""
    merged = copy.deepcopy(base)
    for key, value in overrides.items():
        if value is None:
            merged.pop(key, None)
        elif isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def policy_dict(**overrides: Any) -> dict[str, Any]:
    return merge(BASE, overrides)


def policy_toml(**overrides: Any) -> str:
    lines: list[str] = []
    for name, table in policy_dict(**overrides).items():
        _table(lines, [name], table)
    return "\n".join(lines) + "\n"


def policy_file(tmp_path: Path, name: str = "policy.toml", **overrides: Any) -> Path:
    path = tmp_path / name
    path.write_text(policy_toml(**overrides))
    return path


def make_policy(tmp_path: Path, **overrides: Any) -> Policy:
    return load_policy(policy_file(tmp_path, **overrides))


def local_webhook(url: str, audience: str, secret_env: str, **options: Any) -> dict[str, Any]:
    """A `[webhooks.<name>]` table for a receiver the test runs on 127.0.0.1 (plain http://)."""
    return {"url": url, "audiences": [audience], "secret_env": secret_env, "allow_http": True, **options}


def _table(lines: list[str], names: list[str], table: dict[str, Any]) -> None:
    lines.append("[" + ".".join(_key(n) for n in names) + "]")
    tables = {k: v for k, v in table.items() if isinstance(v, dict)}
    lines.extend(f"{_key(k)} = {_value(v)}" for k, v in table.items() if k not in tables)
    for key, sub in tables.items():
        _table(lines, [*names, key], sub)


def _key(key: str) -> str:
    return key if _BARE_KEY.match(key) else json.dumps(key)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):  # an inline table, e.g. a ladder tier
        return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"no TOML for {value!r}")
