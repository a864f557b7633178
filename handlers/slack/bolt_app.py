"""The Bolt app: configured for the fastest ack path, listeners registered by kind."""

from __future__ import annotations

import logging

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from handlers.slack import (
    actions,
    commands,
    digests,
    events,
    maintenance,
    messages,
    reminders,
    resolution,
    views,
)
from handlers.slack.after_ack import Slack


def build_bolt_app(slack: Slack, client: AsyncWebClient) -> AsyncApp:
    settings = slack.core.settings
    app = AsyncApp(
        client=client,
        signing_secret=settings.secret("slack_signing_secret") or None,
        process_before_response=True,  # answer once the listener acked; slow work runs after (after_ack)
        request_verification_enabled=not settings.socket_mode,
        logger=logging.getLogger("slack_bolt"),
    )
    for listeners in (
        events,
        commands,
        views,
        actions,
        messages,
        reminders,
        digests,
        resolution,
        maintenance,
    ):
        listeners.register(app, slack)
    return app
