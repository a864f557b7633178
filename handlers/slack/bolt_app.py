"""The Bolt app: configured for the fastest ack path, listeners registered by kind."""

from __future__ import annotations

import logging

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.services import Core
from handlers.slack import actions, commands, events, views
from handlers.slack.lazy import TrackedLazyListenerRunner


def build_bolt_app(core: Core, client: AsyncWebClient) -> AsyncApp:
    settings = core.settings
    app = AsyncApp(
        client=client,
        signing_secret=settings.secret("slack_signing_secret") or None,
        process_before_response=True,  # answer as soon as ack() ran; slow work is lazy (PITFALLS)
        request_verification_enabled=not settings.socket_mode,
        logger=logging.getLogger("slack_bolt"),
    )
    app.listener_runner.lazy_listener_runner = TrackedLazyListenerRunner(core.tracker, app.logger)
    for listeners in (events, commands, views, actions):
        listeners.register(app, core)
    return app
