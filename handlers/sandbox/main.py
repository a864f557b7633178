"""`incident-comms sandbox [--port N]`: the sandbox page on http://127.0.0.1:N/ until Ctrl-C."""

from __future__ import annotations

import logging
import sys

from aiohttp import web

from handlers.sandbox.server import build_sandbox_app
from handlers.sandbox.world import HOST

DEFAULT_PORT = 8765


def run_sandbox(port: int = DEFAULT_PORT) -> int:
    logging.basicConfig(level=logging.WARNING)

    def said(_text: str) -> None:
        print(f"incident-comms sandbox on http://{HOST}:{port}/ (Slack only; Ctrl-C ends it)")

    if not 0 < port < 65536:
        print(f"incident-comms: --port must be 1-65535, not {port}", file=sys.stderr)
        return 2
    try:
        web.run_app(build_sandbox_app(), host=HOST, port=port, print=said, access_log=None)
    except OSError as error:  # the port is taken (or not ours to bind)
        print(f"incident-comms: cannot listen on {HOST}:{port} ({error.strerror})", file=sys.stderr)
        return 2
    return 0
