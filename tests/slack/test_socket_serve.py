"""A real `incident-comms serve` in Socket Mode: it connects before it answers /healthz, runs a
declaration over the socket, and on SIGTERM closes the socket cleanly and exits 0."""

from __future__ import annotations

import asyncio
import signal

from emulator.slack.socket_driver import SocketDriver
from tests.conftest import ALICE, GENERAL
from tests.handlers.test_shutdown import quiet
from tests.serve_process import Serve
from tests.slack.flows import DEFAULT_FORM


async def until(condition, timeout: float = 20.0) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.02)


async def test_serve_in_socket_mode_declares_and_closes_the_socket_on_sigterm(slack, tmp_path):
    socket_only = {"SLACK_APP_TOKEN": slack.socket_mode.app_token, "SLACK_SIGNING_SECRET": ""}
    serve = await Serve(tmp_path, slack, f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}", **socket_only).start()
    bot = SocketDriver(serve.base_url, slack)
    try:
        assert len(slack.socket_mode.connections) == 1, "connected before /healthz answers"
        await bot.command("Checkout errors in EU", user=ALICE, channel=GENERAL)
        await until(lambda: slack.opened_views)
        reply = await bot.submit(slack.opened_views[-1].view, DEFAULT_FORM, user=ALICE)
        assert reply.status == 200
        await until(lambda: slack.calls_to("pins.add"))
        async with bot.session.get(bot.base_url + "/healthz") as answer:
            assert (await answer.json())["socket_mode"] == "connected"
        code, took = await serve.stop(signal.SIGTERM)
    finally:
        serve.close()
        await bot.close()

    assert code == 0 and took < 5, serve.log()
    assert quiet(serve.log()), serve.log()
    await until(lambda: slack.socket_mode.closed, timeout=2)
    assert [c.close_code for c in slack.socket_mode.closed] == [1000]
    assert len(slack.calls_to("apps.connections.open")) == 1
