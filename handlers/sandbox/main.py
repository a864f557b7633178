"""`incident-comms sandbox [--port N]`: the sandbox page on http://127.0.0.1:N/ until Ctrl-C."""

from __future__ import annotations

import logging

from aiohttp import web

from handlers.sandbox.server import build_sandbox_app
from handlers.sandbox.world import HOST

DEFAULT_PORT = 8765


def run_sandbox(port: int = DEFAULT_PORT) -> int:
    logging.basicConfig(level=logging.WARNING)

    def said(_text: str) -> None:
        print(f"incident-comms sandbox on http://{HOST}:{port}/ (Slack only; Ctrl-C ends it)")

    web.run_app(build_sandbox_app(), host=HOST, port=port, print=said, access_log=None)
    return 0
