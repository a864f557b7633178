"""The signing-key warmer survives a key endpoint that answers garbage, and keeps trying."""

from __future__ import annotations

import asyncio
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt

from handlers.teams.signing_keys import KeyWarmer

ANSWERS = [b"<html>502 Bad Gateway</html>", b'{"keys": []}']


async def test_a_garbage_answer_from_the_key_endpoint_does_not_stop_the_warmer():
    asked: list[int] = []

    class Garbage(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(1)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(ANSWERS[len(asked) % 2])

        def log_message(self, *args) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Garbage)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    warmer = KeyWarmer(jwt.PyJWKClient(f"http://127.0.0.1:{server.server_address[1]}/keys"), every=0.05)
    try:
        warmer.start()
        await asyncio.wait_for(warmer.ready.wait(), 5)
        await asyncio.sleep(0.05)
        assert warmer._task is not None and not warmer._task.done(), "the warmer is still running"
    finally:
        await warmer.stop()
        server.shutdown()
