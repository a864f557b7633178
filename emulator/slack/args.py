"""Reading Web API arguments from a request and checking them against the method spec."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web
from aiohttp.web_request import FileField

from .errors import SlackError, invalid_arguments
from .method_specs import check_arg_types, prop_types
from .method_table import BOOL_ARGS, INT_ARGS, JSON_ARGS, MISSING_ARG_ERRORS, MethodSpec

_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no", ""}


async def read_request(request: web.Request, *, json_input: bool = True) -> tuple[dict[str, Any], str | None]:
    """Query string + form / multipart / JSON body merged into one dict, and the token used (if any).

    Like Slack, a JSON body is ignored by methods that do not support JSON input
    (`json_input_supported` in the spec): their arguments must come as form fields.
    """
    args: dict[str, Any] = dict(request.query)
    if request.method == "POST" and request.can_read_body:
        body = await _read_body(request)
        if json_input or request.content_type != "application/json":
            args.update(body)
    token = args.pop("token", None)
    auth = request.headers.get("Authorization", "")
    if auth.lower().startswith("bearer "):
        token = auth[7:].strip()
    return args, (str(token) if token else None)


async def _read_body(request: web.Request) -> dict[str, Any]:
    ctype = request.content_type
    if ctype == "application/json":
        try:
            body = json.loads(await request.text() or "{}")
        except ValueError as exc:
            raise SlackError("invalid_json") from exc
        if not isinstance(body, dict):
            raise SlackError("invalid_json")
        return body
    if ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.post()
        return {k: (v.file.read() if isinstance(v, FileField) else v) for k, v in form.items()}
    return dict(parse_qsl(await request.text(), keep_blank_values=True))


def normalise(raw: dict[str, Any], spec: MethodSpec) -> dict[str, Any]:
    """Decode JSON-string args (blocks, view, metadata ...), booleans and numbers sent as form strings."""
    return {key: _normalise_value(key, value, spec.properties.get(key)) for key, value in raw.items()}


def _normalise_value(key: str, value: Any, prop: Any) -> Any:
    if not isinstance(value, str):
        return value
    types = prop_types(prop)
    stripped = value.strip()
    if key in JSON_ARGS and stripped[:1] in ("[", "{"):
        try:
            return json.loads(stripped)
        except ValueError:
            return value
    if key == "file_ids":
        return json.loads(stripped) if stripped.startswith("[") else [f for f in stripped.split(",") if f]
    if key in BOOL_ARGS or ("boolean" in types and "string" not in types):
        if stripped.lower() in _TRUE:
            return True
        if stripped.lower() in _FALSE:
            return False
    numeric = key in INT_ARGS or (types & {"number", "integer"} and "string" not in types)
    if numeric and stripped.lstrip("-").isdigit():
        return int(stripped)
    return value


def present(value: Any) -> bool:
    return value is not None and value != "" and value != [] and value != {}


def truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in _TRUE
    return bool(value)


def check_args(spec: MethodSpec, args: dict[str, Any]) -> None:
    """Required args, ``arg_groups`` and (with the spec files) argument types; raises :class:`SlackError`."""
    for name in spec.required:
        if not present(args.get(name)):
            code = MISSING_ARG_ERRORS.get(name)
            raise SlackError(code) if code else invalid_arguments(f"[ERROR] missing required field: {name}")
    for group in spec.arg_groups:
        given = [a for a in group.args if present(args.get(a))]
        if group.required and not given:
            if spec.name.startswith("chat."):
                raise SlackError("no_text")
            raise invalid_arguments(f"[ERROR] one of {', '.join(group.args)} is required")
        if group.exclusive and len(given) > 1:
            if spec.name.startswith("chat.") and "markdown_text" in given:
                raise SlackError("markdown_text_conflict")
            raise invalid_arguments(f"[ERROR] only one of {', '.join(given)} may be given")
    messages = check_arg_types(spec, args)
    if messages:
        raise invalid_arguments(*messages)
