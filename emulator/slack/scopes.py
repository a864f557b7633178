"""OAuth scope checks: ``missing_scope`` with ``needed`` / ``provided`` like Slack answers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .args import truthy
from .errors import SlackError
from .method_table import LEGACY_SCOPES, MethodSpec
from .workspace import Workspace

_KIND_PREFIX = {"public": "channels:", "private": "groups:", "im": "im:", "mpim": "mpim:"}


def default_scopes(specs: Mapping[str, MethodSpec]) -> set[str]:
    """Every bot scope the emulated methods need (legacy user-only scopes left out)."""
    return {s for spec in specs.values() for s in spec.bot_scopes if s not in LEGACY_SCOPES}


def channel_kind(ws: Workspace, method: str, args: dict[str, Any]) -> str | None:
    """``public`` / ``private`` / ``im`` for the conversation a call targets, when it can be told."""
    if method == "conversations.create":
        return "private" if truthy(args.get("is_private")) else "public"
    ref = args.get("channel") or args.get("channel_id")
    if not isinstance(ref, str):
        return None
    if ref[:1] in ("U", "W") and ref in ws.users:
        return "im"
    channel = ws.find_channel(ref)
    if channel is None:
        return None
    return "im" if channel.is_im else ("private" if channel.is_private else "public")


def acceptable_scopes(spec: MethodSpec, kind: str | None) -> list[str]:
    """Scopes of which ANY one allows the call, narrowed to the conversation type (channels:/groups:/im:)."""
    scopes = list(spec.bot_scopes)
    prefix = _KIND_PREFIX.get(kind or "")
    if prefix:
        narrowed = [s for s in scopes if s.startswith(prefix)]
        scopes = narrowed or scopes
    return scopes


def check_scopes(spec: MethodSpec, provided: set[str], kind: str | None) -> None:
    acceptable = acceptable_scopes(spec, kind)
    if not acceptable or provided & set(acceptable):
        return
    needed = [s for s in acceptable if s not in LEGACY_SCOPES] or acceptable
    raise SlackError("missing_scope", needed=",".join(needed), provided=",".join(sorted(provided)))
