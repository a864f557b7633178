"""The Teams adapter: the SDK's `App` mounted on our aiohttp app, its handlers and gateway.

`build_teams` runs inside the synchronous `create_app` (it only builds objects); `startup`
initialises the SDK in aiohttp's on_startup, which registers `/api/messages` through our
server adapter. The SDK checks each request's Bot Framework token (JWKS from the cloud's
OpenID metadata) unless it runs unauthenticated for tests.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

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
from microsoft_teams.apps.utils.graph import derive_graph_base_url

from bot.chat.cards import CardAction, strip_markers
from bot.config import Settings
from bot.enums import Visibility
from bot.errors import Invalid, PlatformError
from bot.incidents.forms import parse_declare
from bot.services.core import Core
from bot.services.flows import set_up_declared
from handlers.teams import card_actions, commands, editing, export, home_card, lifecycle
from handlers.teams.conversations import ConversationRef, Conversations
from handlers.teams.dialogs import (
    DECLARE,
    REJECT,
    REJECT_TITLE,
    clean_data,
    close_with,
    continue_with,
    declare_form,
    form_values,
    reject_form,
)
from handlers.teams.gateway import TeamsGateway
from handlers.teams.graph import GRAPH_FIX, GraphChannels
from handlers.teams.http import AiohttpAdapter
from handlers.teams.incident_channels import channel_of_thread, choose_home
from handlers.teams.members import Members
from handlers.teams.signing_keys import KeyWarmer, warmer_for
from handlers.teams.text import ID_PREFIX
from handlers.teams.turns import Teams, Turn, invoke_guard, start

log = logging.getLogger(__name__)
ENDPOINT = "/api/messages"
PRIVATE_NEEDS_CHAT = (
    "Everyone here would see a private incident: declare it in a personal chat with the bot, "
    "or choose public."
)
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


@dataclass
class TeamsAdapter:
    app: App
    adapter: AiohttpAdapter
    teams: Teams
    authenticated: bool = True
    warmer: KeyWarmer | None = None

    async def startup(self) -> None:
        await self.app.initialize()
        self.warmer = warmer_for(self.app, authenticated=self.authenticated)
        if self.warmer is not None:
            self.warmer.start()

    async def shutdown(self) -> None:
        if self.warmer is not None:
            await self.warmer.stop()


def build_teams(core: Core, settings: Settings, overrides: TeamsOverrides | None) -> TeamsAdapter:
    adapter = AiohttpAdapter(core.metrics, settings.teams_tenant_id)
    bot_id = settings.teams_client_id or TEST_BOT_ID
    if overrides is None:
        app = App(
            client_id=bot_id,
            client_secret=settings.secret("teams_client_secret"),
            tenant_id=settings.teams_tenant_id,
            http_server_adapter=adapter,
            messaging_endpoint=ENDPOINT,
        )
    else:
        app = App(
            client_id=bot_id,
            tenant_id=settings.teams_tenant_id,
            token=overrides.token,
            service_url=overrides.service_url,
            dangerously_allow_unauthenticated_requests=not overrides.authenticate,
            cloud=overrides.cloud,
            http_server_adapter=adapter,
            messaging_endpoint=ENDPOINT,
        )
    conversations = Conversations(core.db, core.clock, app.api.service_url)
    members = Members(core.db, core.clock, app.api, core.incidents.rename_person)
    graph = _graph(app, settings, overrides)
    gateway = TeamsGateway(
        app.api, conversations, bot_id, settings.teams_tenant_id, card_actions.HANDLED, members, graph
    )
    teams = Teams(core, gateway, conversations, graph)
    _register(app, teams)
    return TeamsAdapter(app, adapter, teams, authenticated=overrides is None or overrides.authenticate)


def _graph(app: App, settings: Settings, overrides: TeamsOverrides | None) -> GraphChannels | None:
    if not settings.teams_incident_team_id:
        return None
    graph_url = (overrides and overrides.graph_url) or f"{derive_graph_base_url(app.cloud)}/v1.0"

    async def token() -> str:
        found = await app.token_provider.get_app_token(app.cloud.graph_scope, settings.teams_tenant_id)
        if found is None:
            raise PlatformError("Create channel", "no_graph_token", GRAPH_FIX)
        return str(found)

    return GraphChannels(settings.teams_incident_team_id, graph_url, token)


def _register(app: App, teams: Teams) -> None:
    @app.on_message
    async def on_message(ctx: ActivityContext[MessageActivity]) -> None:
        activity = ctx.activity
        kind = str(activity.conversation.conversation_type or "personal")
        if isinstance(activity.value, dict) and activity.value.get("action"):  # Action.Submit fallback
            turn = await _turn(teams, ctx, kind, "", now=False)
            start(teams, _fallback(clean_data(activity.value)), turn)
            return
        bot_tags = [
            m.text or ""
            for m in activity.entities or []
            if getattr(m, "type", "") == "mention"
            and getattr(m, "mentioned", None) is not None
            and m.mentioned.id == activity.recipient.id
        ]
        if kind != "personal" and not bot_tags:
            return  # channel chatter that does not address the bot
        text = commands.command_text(activity.text or "", bot_tags)
        start(teams, commands.route, await _turn(teams, ctx, kind, text, now=False))

    @app.on_install_add
    async def on_install(ctx: ActivityContext[InstalledActivity]) -> None:
        kind = str(ctx.activity.conversation.conversation_type or "personal")
        start(teams, commands.welcome, await _turn(teams, ctx, kind, "", now=False))

    @app.on_card_action
    @invoke_guard(card_actions.message_response)
    async def on_card_action(ctx: ActivityContext[AdaptiveCardInvokeActivity]) -> dict:
        action = ctx.activity.value.action
        kind = str(ctx.activity.conversation.conversation_type or "personal")
        turn = await _turn(teams, ctx, kind, "")
        data = clean_data(action.data)
        return await card_actions.card_action(teams, turn, action.verb or "", data)

    @app.on_file_consent
    async def on_file_consent(ctx: ActivityContext[FileConsentInvokeActivity]) -> None:
        kind = str(ctx.activity.conversation.conversation_type or "personal")
        start(teams, export.consented(ctx.activity.value), await _turn(teams, ctx, kind, ""))

    @app.on_dialog_open
    @invoke_guard(close_with)
    async def on_dialog_open(ctx: ActivityContext[TaskFetchInvokeActivity]) -> dict:
        data = _data(ctx.activity)
        if data.get("dialog") == REJECT:
            return continue_with(reject_form(data), REJECT_TITLE)
        if data.get("dialog") == CardAction.SHOW_STATUS:
            kind = str(ctx.activity.conversation.conversation_type or "personal")
            return await home_card.status_dialog(teams, await _turn(teams, ctx, kind, ""), data)
        if data.get("dialog") in lifecycle.DIALOGS:
            kind = str(ctx.activity.conversation.conversation_type or "personal")
            return await lifecycle.open_dialog(teams, await _turn(teams, ctx, kind, ""), data)
        if data.get("dialog") in editing.DIALOGS:
            kind = str(ctx.activity.conversation.conversation_type or "personal")
            return await editing.open_dialog(teams, await _turn(teams, ctx, kind, ""), data)
        if data.get("dialog") != DECLARE:
            return close_with("That dialog is not available.")
        title = data.get("title") if isinstance(data.get("title"), str) else ""
        return continue_with(declare_form(teams.core.policy, {"title": title}))

    @app.on_dialog_submit
    @invoke_guard(close_with)
    async def on_dialog_submit(ctx: ActivityContext[TaskSubmitInvokeActivity]) -> dict:
        data = _data(ctx.activity)
        kind = str(ctx.activity.conversation.conversation_type or "personal")
        turn = await _turn(teams, ctx, kind, "")
        if data.get("dialog") == REJECT:
            return await card_actions.reject(teams, turn, data)
        if data.get("dialog") in lifecycle.DIALOGS:
            return await lifecycle.submit_dialog(teams, turn, data)
        if data.get("dialog") in editing.DIALOGS:
            return await editing.submit_dialog(teams, turn, data)
        if data.get("dialog") != DECLARE:
            return close_with("That dialog is not available.")
        return await declare_submitted(teams, turn, form_values(data), source_key=f"teams:{ctx.activity.id}")


async def declare_submitted(teams: Teams, turn: Turn, values: dict, *, source_key: str) -> dict:
    """Validate inline (errors back in the dialog); record the incident; set it up afterwards.

    It gets a channel through Graph when configured, else runs in the conversation it was
    declared in.
    """
    core = teams.core
    people = {role: await _person(teams, turn, values.get(role)) for role in ("commander", "comms_owner")}
    try:
        form = parse_declare({**values, **people}, core.policy, turn.user)
        if form.visibility == Visibility.PRIVATE and not turn.personal and teams.graph is None:
            raise Invalid({"visibility": PRIVATE_NEEDS_CHAT})
    except Invalid as invalid:
        return continue_with(declare_form(core.policy, values, invalid.fields))
    declared = await core.incidents.declare(
        form, reporter_id=turn.user, origin_channel_id=turn.conversation, source_key=source_key
    )
    incident = declared.incident
    if declared.created:
        await core.incidents.update_fields(incident.id, platform="teams")
        start(teams, _set_up(incident.id), turn)
    return close_with(f"{core.cards.ref(incident)} declared: {incident.title[:80]}")


def _set_up(incident_id: int):
    async def set_up_incident(teams: Teams, turn: Turn) -> None:
        core = teams.core
        _, report_to = await choose_home(teams, turn, await core.incidents.get(incident_id))
        await set_up_declared(core, incident_id, report_to=report_to)

    return set_up_incident


def _fallback(data: dict):
    async def card_button_fallback(teams: Teams, turn: Turn) -> None:
        await card_actions.submitted_fallback(teams, turn, data)

    return card_button_fallback


async def _person(teams: Teams, turn: Turn, typed: object) -> str:
    """A commander or comms owner typed as an e-mail (UPN); empty means the reporter.

    A known member is stored by object id (what their clicks carry); others as typed.
    """
    text = typed.strip() if isinstance(typed, str) else ""
    return await teams.gateway.canonical(ID_PREFIX + text.lower(), turn.conversation) if text else ""


def _data(activity) -> dict:
    return clean_data(getattr(activity.value, "data", None))


async def _turn(teams: Teams, ctx: ActivityContext, kind: str, text: str, *, now: bool = True) -> Turn:
    """`now=False` (a message, answered 200 at once): who the sender is (UPN, name) is looked
    up at the start of the tracked work rather than before Teams gets its answer."""
    activity = ctx.activity
    conversation = activity.conversation
    ref = ConversationRef(conversation.id, activity.service_url or "", conversation.tenant_id, kind)
    key = await teams.conversations.remember(ref)
    if kind == "channel" and teams.graph is not None:
        key = await channel_of_thread(teams, conversation.id, key)
    sender = activity.from_
    user = ID_PREFIX + (sender.aad_object_id or sender.id)
    learn = (sender.aad_object_id, ref) if sender.aad_object_id else None
    if learn and now and teams.gateway.members is not None:  # UPN and name; never fails the turn
        await teams.gateway.members.learn(*learn)
    return Turn(key, user, kind, strip_markers(text), learn_first=None if now else learn)
