"""Socket Mode (SLACK_APP_TOKEN): Slack's requests over a WebSocket the app opens, through the
same edge as POST /slack/events.

Bolt's `AsyncSocketModeHandler` hands every envelope to Bolt as it comes. `SocketEdge` is the
same handler (Bolt's own `run_async_bolt_app` and `send_async_response`) with the HTTP edge's
checks in front, in this one place:

- a frame is read within bounds and must be an envelope of Slack's shape (`socket_client`);
- its payload must fit its kind (`payloads.fits`: depth, sizes, the fields Bolt and the listeners
  read); what does not is acknowledged with nothing, so it is not redelivered and nothing runs;
- at capacity the request is answered busy (`busy.busy_answer`) before Bolt sees it: a command's
  reply or a form's error in the ack, a click told through its response URL; an event is left
  unacknowledged, so Slack delivers it again (over HTTP: 503 with Retry-After).

Listeners ack first and work after the ack exactly as over HTTP (`after_ack`), and a redelivered
event (`retry_attempt`, which Bolt passes on as `X-Slack-Retry-Num`) is skipped by event id
(`events._deduplicate`). The SDK reconnects on `disconnect` and when a connection drops;
`state` is what /healthz reports.
"""

from __future__ import annotations

import json
import logging
import time

from slack_bolt.adapter.socket_mode.async_base_handler import AsyncBaseSocketModeHandler
from slack_bolt.adapter.socket_mode.async_internals import run_async_bolt_app, send_async_response
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.socket_mode.async_client import AsyncBaseSocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from bot.background import TaskTracker
from bot.metrics import Metrics
from handlers.slack.busy import busy_answer
from handlers.slack.http import request_kind
from handlers.slack.payloads import fits
from handlers.slack.socket_client import EdgeClient

log = logging.getLogger(__name__)
PING_INTERVAL = 10.0  # seconds; Bolt's default: a silent connection is replaced after 4 missed pongs


class SocketModeRefused(Exception):
    """Slack refused the app-level token (`apps.connections.open`); the message is Slack's error."""


class SocketEdge(AsyncBaseSocketModeHandler):
    client: EdgeClient

    def __init__(self, app: AsyncApp, app_token: str, metrics: Metrics, tracker: TaskTracker) -> None:
        self.app = app
        self.metrics = metrics
        self.tracker = tracker
        self.client = EdgeClient(
            app_token=app_token,
            logger=app.logger,
            web_client=app.client,
            ping_interval=PING_INTERVAL,
            metrics=metrics,
        )
        self.client.socket_mode_request_listeners.append(self.handle)

    async def connect_async(self) -> None:
        """Open the first connection; a refused token is `SocketModeRefused` rather than the SDK
        retrying it forever. Later reconnects are the SDK's own."""
        try:
            self.client.wss_uri = await self.client.issue_new_wss_url()
        except SlackApiError as error:
            raise SocketModeRefused(str(error.response.get("error"))) from None
        await self.client.connect()

    async def state(self) -> str:
        return "connected" if await self.client.is_connected() else "disconnected"

    async def handle(self, client: AsyncBaseSocketModeClient, req: SocketModeRequest) -> None:
        started = time.perf_counter()
        payload = req.payload
        kind = request_kind(payload)
        if not fits(payload):
            log.warning("Socket Mode: refused a %s envelope whose payload does not fit its kind", req.type)
            await client.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id))
            status = "400"
        elif self.tracker.full:
            self.metrics.turned_away.labels("slack").inc()
            status = await self._busy(client, req)
        else:
            answer = await run_async_bolt_app(self.app, req)
            await send_async_response(client, req, answer, started)
            status = str(answer.status)
        self.metrics.requests.labels(kind, status).inc()
        self.metrics.ack_latency.labels(kind).observe(time.perf_counter() - started)

    async def _busy(self, client: AsyncBaseSocketModeClient, req: SocketModeRequest) -> str:
        """The HTTP busy answer, carried as the ack's payload (or, for a 503, as no ack)."""
        answer = await busy_answer(req.payload)
        if answer.status != 200:
            return str(answer.status)  # not acknowledged: Slack delivers the event again
        body = json.loads(answer.text) if answer.text else None
        await client.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id, payload=body))
        return "200"
