"""The composition root: the only place that wires settings, storage and platform adapters."""

from __future__ import annotations

import asyncio
import logging
import os
from typing import TYPE_CHECKING

from aiohttp import web

from bot import logs
from bot.chat.platform_router import PlatformRouter
from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.metrics import Metrics
from bot.policy.model import Policy, load_policy
from bot.services.core import Core, build_core
from bot.services.intents import resume_at_start, set_up_handed_off
from bot.services.leases import release_leases
from bot.services.roles import ROLE_ENV, Role, refusal
from bot.services.sweeps import SET_UPS, scheduled
from handlers import ops
from handlers.public import routes as public_routes
from handlers.scheduler import build_scheduler
from handlers.slack.after_ack import Slack
from handlers.slack.bolt_app import build_bolt_app
from handlers.slack.client import SlackWebClient, build_client
from handlers.slack.gateway import SlackGateway
from handlers.slack.http import SlackEndpoint
from handlers.teams.text import ID_PREFIX as TEAMS_IDS
from handlers.wake import WakeListener
from storage.db import Database
from storage.migrate import upgrade_schema

if TYPE_CHECKING:
    from handlers.slack.socket_mode import SocketEdge
    from handlers.teams.adapter import TeamsAdapter, TeamsOverrides

log = logging.getLogger(__name__)
CORE = web.AppKey("core", Core)
TEAMS = web.AppKey("teams", object)  # the TeamsAdapter, when Teams is on


class ConfigError(Exception):
    """Settings that make the app impossible to run; the message says which."""


def create_app(
    settings: Settings | None = None,
    *,
    policy: Policy | None = None,
    clock: Clock | None = None,
    migrate: bool = True,
    sweeps: bool = True,
    teams: TeamsOverrides | None = None,
    role: Role | str = Role.ALL,
) -> web.Application:
    """Build everything; nothing touches the network or the database until start-up.

    `sweeps=False` leaves the scheduler off: in-process tests call the sweeps themselves
    with the time they choose. Teams is on when its three credentials are set, or with
    `teams` overrides (tests: unauthenticated, a local Bot Connector). `role`
    (bot/services/roles.py): `web` answers and hands the work to the database, `worker` serves
    only /healthz (and /metrics) and does the work, `all` both.
    """
    settings = settings or Settings()
    policy = policy or load_policy(settings.policy_path)
    logs.register_secrets(_secret_values(settings, policy))
    role = _role(role, settings)
    metrics = Metrics()
    client = build_client(settings.secret("slack_bot_token"), settings.slack_api_url, metrics)
    gateway = SlackGateway(client, metrics)
    platforms = PlatformRouter(SlackGateway(client, metrics))  # Teams joins below when it is on
    database = Database(settings.database_url)
    core = build_core(settings, policy, clock or SystemClock(), database, metrics, platforms)
    core.role = role
    bolt = build_bolt_app(Slack(core, gateway), client)
    app = web.Application()
    app[CORE] = core
    # Socket Mode alone: no endpoint unsigned requests reach; a worker takes no requests at all
    if settings.secret("slack_signing_secret") and role.answers:
        app.router.add_post(
            "/slack/events",
            SlackEndpoint(bolt, settings.secret("slack_signing_secret"), metrics, core.tracker).handle,
        )
    teams_adapter = _mount_teams(app, core, platforms, teams)
    ops.register(app, core, _socket_health(app) if settings.socket_mode and role.answers else None)
    if role.answers:
        public_routes.register(app, core)
    app.on_startup.append(_starter(core, bolt, client, migrate, sweeps and role.works, teams_adapter))
    app.on_shutdown.append(_stop_taking_work)
    app.on_cleanup.append(_stopper(core, client, teams_adapter))
    app[DEADLINE] = {}
    return app


def _mount_teams(
    app: web.Application, core: Core, platforms: PlatformRouter, teams: TeamsOverrides | None
) -> TeamsAdapter | None:
    """Teams on /api/messages when its credentials are set (or tests give overrides)."""
    if teams is None and not core.settings.teams_configured:
        return None
    from handlers.teams.adapter import ENDPOINT, build_teams  # the Teams SDK takes ~1.4 s to import

    adapter = build_teams(core, core.settings, teams)
    platforms.add(TEAMS_IDS, adapter.teams.gateway)  # a worker posts to Teams too, and takes no requests
    if core.role.answers:
        app.router.add_post(ENDPOINT, adapter.adapter.handle)
    app[TEAMS] = adapter
    return adapter


def _role(role: Role | str, settings: Settings) -> Role:
    """The process role, checked against the settings it needs."""
    try:
        role = Role(role)
    except ValueError:
        raise ConfigError(f"{ROLE_ENV}/--role {role!r}: choose web, worker or all") from None
    if (refused := refusal(role, settings.database_url)) is not None:
        raise ConfigError(refused)
    if role.answers and not settings.socket_mode and not settings.slack_signing_secret:
        raise ConfigError("SLACK_SIGNING_SECRET is required (or set SLACK_APP_TOKEN for Socket Mode).")
    return role


def _secret_values(settings: Settings, policy: Policy) -> list[str]:
    """What the logs mask: every secret setting and each webhook's signing secret."""
    hooks = [os.environ.get(hook.secret_env, "") for hook in policy.webhooks.values()]
    return [*settings.secret_values(), *hooks]


def _starter(
    core: Core, bolt, client: SlackWebClient, migrate: bool, sweeps: bool, teams: TeamsAdapter | None
):
    async def start(app: web.Application) -> None:
        app[METRICS] = await _start_metrics(core)  # first: a port in use stops start-up before anything opens
        await client.open_session()
        if migrate:
            await upgrade_schema(core.db)
        if teams is not None:
            await teams.startup()
        if core.role.works:  # a web process leaves what a crash left owed to the workers
            core.tracker.spawn(resume_at_start(core), name="setup:resume")
            core.tracker.spawn(core.reminders.adopt_unscheduled(), name="reminders:adopt")
        if sweeps:
            app[SCHEDULER] = _start_scheduler(core)
            if core.role.claims_set_ups and not core.db.is_sqlite:
                app[WAKE] = await _listen(core)
        if core.settings.socket_mode and core.role.answers:
            app[SOCKET] = await _connect_socket(core, bolt)

    return start


async def _listen(core: Core) -> WakeListener:
    """A worker claims a set-up as soon as a web process says one is recorded."""
    listener = WakeListener(
        core.settings.database_url,
        lambda: core.tracker.spawn(set_up_handed_off(core), name=f"sweep:{SET_UPS}"),
    )
    await listener.start()
    return listener


async def _connect_socket(core: Core, bolt) -> SocketEdge:
    """Socket Mode through the same edge checks as HTTP (handlers/slack/socket_mode.py)."""
    from handlers.slack.socket_mode import SocketEdge, SocketModeRefused

    edge = SocketEdge(bolt, core.settings.secret("slack_app_token"), core.metrics, core.tracker)
    try:
        await edge.connect_async()
    except SocketModeRefused as refused:
        await edge.close_async()
        await bolt.client.close_session()  # start-up stops here, so the app's cleanup never runs
        raise ConfigError(f"SLACK_APP_TOKEN was refused by Slack ({refused})") from None
    log.info("connected to Slack in Socket Mode")
    return edge


def _socket_health(app: web.Application):
    """What /healthz says about the Socket Mode connection."""

    async def health() -> dict[str, str]:
        edge = app.get(SOCKET)
        return {"socket_mode": await edge.state() if edge is not None else "disconnected"}

    return health


async def _start_metrics(core: Core) -> ops.MetricsListener:
    listener = ops.MetricsListener(core)
    try:
        await listener.start()
    except OSError as error:
        where, reason = f"{listener.host}:{listener.port}", error.strerror or error
        raise ConfigError(f"METRICS_HOST:METRICS_PORT {where} cannot be bound: {reason}") from None
    log.info("metrics on http://%s:%s/metrics", listener.host, listener.port)
    return listener


def _start_scheduler(core: Core):
    scheduler = build_scheduler(
        [job._replace(run=_tracked(core, job.run, job.name)) for job in scheduled(core)]
    )
    scheduler.start()
    return scheduler


def _tracked(core: Core, sweep, name: str):
    """Run each sweep as a tracked task, so shutdown lets a sweep in flight finish its posts."""

    async def job() -> None:
        await asyncio.wait({core.tracker.spawn(sweep(), name=f"sweep:{name}")})

    return job


async def _stop_taking_work(app: web.Application) -> None:
    """SIGTERM (aiohttp has closed the listening sockets): no new sweeps, no Socket Mode events;
    the clock for SHUTDOWN_TIMEOUT starts."""
    app[DEADLINE]["at"] = asyncio.get_running_loop().time() + app[CORE].settings.shutdown_timeout
    if (scheduler := app.get(SCHEDULER)) is not None:
        scheduler.pause()  # sweeps already running go on; they are tracked tasks
    if (handler := app.get(SOCKET)) is not None:
        await handler.close_async()
    log.info("stopping: finishing work in flight (at most %s s)", app[CORE].settings.shutdown_timeout)


def _stopper(core: Core, client: SlackWebClient, teams: TeamsAdapter | None):
    async def stop(app: web.Application) -> None:
        for key in (METRICS, WAKE):
            if (listener := app.get(key)) is not None:
                await listener.stop()
        if teams is not None:
            await teams.shutdown()
        loop = asyncio.get_running_loop()
        remaining = app[DEADLINE].get("at", loop.time() + core.settings.shutdown_timeout) - loop.time()
        await asyncio.sleep(0)  # a job submitted just before the pause starts now, so drain waits for it
        await core.tracker.drain(max(remaining - CLEANUP_SHARE, 0.1))
        if (scheduler := app.get(SCHEDULER)) is not None:
            for _ in range(3):  # each job sees its sweep finish, so the executor has nothing to cancel
                await asyncio.sleep(0)
            scheduler.shutdown(wait=False)
        if released := await release_leases(core.db, core.clock.now()):
            log.info("handed back %d lease(s) for another instance to take", released)
        await client.close_session()
        await core.db.dispose()
        log.info("stopped")

    return stop


METRICS = web.AppKey("metrics_listener", ops.MetricsListener)
SOCKET = web.AppKey("socket_mode_handler", object)  # the SocketEdge, in Socket Mode
SCHEDULER = web.AppKey("scheduler", object)
WAKE = web.AppKey("wake_listener", WakeListener)  # a worker's LISTEN on PostgreSQL
DEADLINE = web.AppKey("shutdown_deadline", dict)  # "at": the loop's time by which work must be done
CLEANUP_SHARE = 1.0  # seconds of SHUTDOWN_TIMEOUT kept for handing back leases and closing
