"""The Teams adapter: the SDK's `App` mounted on our aiohttp app, its handlers and gateway.

`build_teams` runs inside the synchronous `create_app` (it only builds objects); `startup`
initialises the SDK in aiohttp's on_startup, which registers `/api/messages` through our
server adapter. The SDK checks each request's Bot Framework token (JWKS from the cloud's
OpenID metadata) unless it runs unauthenticated for tests; `token_gate` pre-checks it first.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from microsoft_teams.api import (
    AdaptiveCardInvokeActivity,
    FileConsentInvokeActivity,
    InstalledActivity,
    MessageActivity,
    TaskFetchInvokeActivity,
    TaskSubmitInvokeActivity,
)
from microsoft_teams.api.auth.cloud_environment import CloudEnvironment
from microsoft_teams.apps import ActivityContext, App

from bot.access.presence import request_from
from bot.chat.cards import strip_markers
from bot.config import Settings
from bot.errors import PlatformError
from bot.services.core import Core
from handlers.teams import card_actions, cloud, commands, dialog_routes, export
from handlers.teams.conversations import ConversationRef, Conversations
from handlers.teams.dialogs import (
    clean_data,
    close_with,
)
from handlers.teams.files import UploadTargets
from handlers.teams.gateway import TeamsGateway
from handlers.teams.graph import GRAPH_FIX, GraphChannels
from handlers.teams.http import AiohttpAdapter
from handlers.teams.incident_channels import channel_of_thread
from handlers.teams.members import Members
from handlers.teams.signing_keys import KeyWarmer
from handlers.teams.text import ID_PREFIX
from handlers.teams.token_gate import guard
from handlers.teams.turns import Teams, Turn, invoke_guard, start

log = logging.getLogger(__name__)
ENDPOINT = "/api/messages"
FIRST_KEYS_WAIT = 5.0  # seconds start-up waits for the signing keys
TEST_BOT_ID = "00000000-0000-0000-0000-000000000b07"  # no credentials: the tests' bot


@dataclass(frozen=True)
class TeamsOverrides:
    """Tests and local runs only: no Entra sign-in, a local Bot Connector.

    `token` replaces the client-credentials flow for outbound calls; `authenticate=False`
    is the SDK's unauthenticated mode for inbound ones; `cloud` points token validation
    at other OpenID metadata (a local JWKS).
    """

    service_url: str
    token: Callable[..., str]
    authenticate: bool = False
    cloud: CloudEnvironment | None = None
    graph_url: str | None = None  # a local Microsoft Graph (with TEAMS_INCIDENT_TEAM_ID)
    upload_origins: tuple[str, ...] = ()  # file-consent upload origins allowed besides SharePoint/OneDrive


@dataclass
class TeamsAdapter:
    app: App
    adapter: AiohttpAdapter
    teams: Teams
    authenticated: bool = True
    warmers: tuple[KeyWarmer, ...] = ()

    async def startup(self) -> None:
        await self.app.initialize()
        if self.authenticated:
            self.adapter.gate, warmers = guard(self.app, self.adapter.tenant_id)
            self.warmers = tuple(warmers)
        for warmer in self.warmers:
            warmer.start()
        # Serve once the keys are cached (the gate answers 503 until then); an unreachable key
        # endpoint delays start-up by at most FIRST_KEYS_WAIT.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.gather(*(w.ready.wait() for w in self.warmers)), FIRST_KEYS_WAIT)

    async def shutdown(self) -> None:
        for warmer in self.warmers:
            await warmer.stop()


def build_teams(core: Core, settings: Settings, overrides: TeamsOverrides | None) -> TeamsAdapter:
    local = urlsplit(overrides.service_url).hostname or "" if overrides else ""
    hosts = cloud.service_url_hosts(settings, *([local] if local else []))
    adapter = AiohttpAdapter(core.metrics, settings.teams_tenant_id, hosts)
    bot_id = settings.teams_client_id or TEST_BOT_ID
    common = {"client_id": bot_id, "tenant_id": settings.teams_tenant_id, "http_server_adapter": adapter}
    if overrides is None:
        app = App(
            **common,
            client_secret=settings.secret("teams_client_secret"),
            cloud=cloud.cloud_of(settings),
            service_url=cloud.DEFAULT_SERVICE_URLS[settings.teams_cloud],
            messaging_endpoint=ENDPOINT,
        )
    else:
        app = App(
            **common,
            token=overrides.token,
            service_url=overrides.service_url,
            dangerously_allow_unauthenticated_requests=not overrides.authenticate,
            cloud=overrides.cloud or cloud.cloud_of(settings),
            messaging_endpoint=ENDPOINT,
        )
    conversations = Conversations(core.db, core.clock, app.api.service_url)
    members = Members(core.db, core.clock, app.api, core.incidents.rename_person)
    graph = _graph(app, settings, overrides)
    gateway = TeamsGateway(
        app.api, conversations, bot_id, settings.teams_tenant_id, card_actions.HANDLED, members, graph
    )
    uploads = UploadTargets(overrides.upload_origins if overrides else ())
    teams = Teams(core, gateway, conversations, graph, uploads)
    _register(app, teams)
    return TeamsAdapter(app, adapter, teams, authenticated=overrides is None or overrides.authenticate)


def _graph(app: App, settings: Settings, overrides: TeamsOverrides | None) -> GraphChannels | None:
    if not settings.teams_incident_team_id:
        return None
    graph_url = (overrides and overrides.graph_url) or cloud.graph_url(settings, app.cloud)

    async def token() -> str:
        found = await app.token_provider.get_app_token(app.cloud.graph_scope, settings.teams_tenant_id)
        if found is None:
            raise PlatformError("Create channel", "no_graph_token", GRAPH_FIX)
        return str(found)

    return GraphChannels(settings.teams_incident_team_id, graph_url, token)


def _register(app: App, teams: Teams) -> None:
    """One registration per kind of activity; each handler turns it into a `Turn` and routes it."""
    for register in (_messages, _installs, _card_actions, _file_consents, _dialogs):
        register(app, teams)


def _messages(app: App, teams: Teams) -> None:
    @app.on_message
    async def on_message(ctx: ActivityContext[MessageActivity]) -> None:
        activity = ctx.activity
        if isinstance(activity.value, dict) and activity.value.get("action"):  # Action.Submit fallback
            start(teams, _fallback(clean_data(activity.value)), await _turn(teams, ctx, "", now=False))
            return
        bot_tags = [
            m.text or ""
            for m in activity.entities or []
            if getattr(m, "type", "") == "mention"
            and getattr(m, "mentioned", None) is not None
            and m.mentioned.id == activity.recipient.id
        ]
        if _kind(ctx) != "personal" and not bot_tags:
            return  # channel chatter that does not address the bot
        text = commands.command_text(activity.text or "", bot_tags)
        start(teams, commands.route, await _turn(teams, ctx, text, now=False))


def _installs(app: App, teams: Teams) -> None:
    @app.on_install_add
    async def on_install(ctx: ActivityContext[InstalledActivity]) -> None:
        start(teams, commands.welcome, await _turn(teams, ctx, "", now=False))


def _card_actions(app: App, teams: Teams) -> None:
    @app.on_card_action
    @invoke_guard(card_actions.message_response, teams.core.tracker)
    async def on_card_action(ctx: ActivityContext[AdaptiveCardInvokeActivity]) -> dict:
        action = ctx.activity.value.action
        turn = await _turn(teams, ctx, "")
        return await card_actions.card_action(teams, turn, action.verb or "", clean_data(action.data))


def _file_consents(app: App, teams: Teams) -> None:
    @app.on_file_consent
    async def on_file_consent(ctx: ActivityContext[FileConsentInvokeActivity]) -> None:
        start(teams, export.consented(ctx.activity.value), await _turn(teams, ctx, ""))


def _dialogs(app: App, teams: Teams) -> None:
    @app.on_dialog_open
    @invoke_guard(close_with, teams.core.tracker)
    async def on_dialog_open(ctx: ActivityContext[TaskFetchInvokeActivity]) -> dict:
        return await dialog_routes.route(dialog_routes.OPEN, teams, await _turn(teams, ctx, ""), _data(ctx))

    @app.on_dialog_submit
    @invoke_guard(close_with, teams.core.tracker)
    async def on_dialog_submit(ctx: ActivityContext[TaskSubmitInvokeActivity]) -> dict:
        return await dialog_routes.route(dialog_routes.SUBMIT, teams, await _turn(teams, ctx, ""), _data(ctx))


def _fallback(data: dict):
    async def card_button_fallback(teams: Teams, turn: Turn) -> None:
        await card_actions.submitted_fallback(teams, turn, data)

    return card_button_fallback


def _data(ctx: ActivityContext) -> dict:
    return clean_data(getattr(ctx.activity.value, "data", None))


def _kind(ctx: ActivityContext) -> str:
    return str(ctx.activity.conversation.conversation_type or "personal")


async def _turn(teams: Teams, ctx: ActivityContext, text: str, *, now: bool = True) -> Turn:
    """`now=False` (a message, answered 200 at once): who the sender is (UPN, name) is looked
    up at the start of the tracked work rather than before Teams gets its answer."""
    activity, kind = ctx.activity, _kind(ctx)
    conversation = activity.conversation
    ref = ConversationRef(conversation.id, activity.service_url or "", conversation.tenant_id, kind)
    key = await teams.conversations.remember(ref)
    if kind == "channel" and teams.graph is not None:
        key = await channel_of_thread(teams, conversation.id, key)
    sender = activity.from_
    user = ID_PREFIX + (sender.aad_object_id or sender.id)
    request_from(user, key)
    learn = (sender.aad_object_id, ref) if sender.aad_object_id else None
    if learn and now and teams.gateway.members is not None:  # UPN and name; never fails the turn
        await teams.gateway.members.learn(*learn)
    return Turn(
        key,
        user,
        kind,
        strip_markers(text),
        learn_first=None if now else learn,
        activity_id=activity.id or "",
    )
