"""``SlackEmulator``: a real HTTP Slack Web API stand-in for the demo and the end-to-end tests."""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from .failures import AfterFault, Failure, FailurePlan, Hold, PostRateLimiter
from .latency import Latency
from .method_specs import load_method_specs
from .models import Call, Channel, Ephemeral, File, Message, OpenedView, ResponseUrl, Trigger, User, Usergroup
from .render import render_blocks, text_of
from .schemas import find_specs_dir, load_block_kit
from .scopes import default_scopes
from .server import EmulatorServer
from .socket_mode import SocketModeServer
from .transcript import channel_transcript, message_lines, view_rendering
from .validation import BlockChecker
from .workspace import Workspace


class SlackEmulator:
    """Slack Web API emulator on ``127.0.0.1``; point ``AsyncWebClient(base_url=emulator.api_url)`` at it."""

    def __init__(
        self,
        *,
        bot_token: str = "xoxb-emulator",
        team_id: str = "T0EMULATOR",
        team_domain: str = "emulator",
        bot_user_id: str = "UBOTEMULATR",
        specs_dir: Path | None = None,
        strict_triggers: bool = True,
        bot_name: str = "incident-comms",
        app_token: str = "xapp-1-A0INCIDENT-emulator",
        latency: str | Latency | None = None,
        seed: int | None = None,
    ) -> None:
        self.bot_token = bot_token
        self.team_id = team_id
        self.bot_user_id = bot_user_id
        self.specs_dir = find_specs_dir(specs_dir)
        self.method_specs = load_method_specs(self.specs_dir)
        checker = BlockChecker(load_block_kit(self.specs_dir))
        self.workspace = Workspace(
            team_id=team_id,
            team_domain=team_domain,
            bot_user_id=bot_user_id,
            bot_name=bot_name,
            checker=checker,
            strict_triggers=strict_triggers,
        )
        self.workspace.scopes = default_scopes(self.method_specs)
        self._failures: FailurePlan[Failure] = FailurePlan()
        self._post_limiter = PostRateLimiter()
        self.socket_mode = SocketModeServer(app_token, "A0INCIDENT", self.workspace.calls, self._failures)
        self._server = EmulatorServer(
            self.workspace, self.method_specs, self._failures, self._post_limiter, bot_token, self.socket_mode
        )
        self._server.latency = Latency.parse(latency, seed)  # "120ms±40ms": answers as late as Slack's; off
        self.origin = ""
        self.api_url = ""

    @property
    def trigger_ttl(self) -> float:
        """Seconds a trigger_id stays valid (Slack: 3); lower it to test expiry quickly."""
        return self.workspace.trigger_ttl

    @trigger_ttl.setter
    def trigger_ttl(self, seconds: float) -> None:
        self.workspace.trigger_ttl = seconds

    @property
    def schema_validation(self) -> bool:
        """True when the public Block Kit schema was found and is enforced on top of our own limits."""
        return self.workspace.checker.schema_active

    # --- lifecycle ----------------------------------------------------------------------------------
    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.origin = await self._server.start(host, port)
        self.api_url = self.origin + "/api/"
        self.workspace.origin = self.origin

    async def stop(self) -> None:
        await self._server.stop()

    async def __aenter__(self) -> SlackEmulator:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # --- seeding ------------------------------------------------------------------------------------
    def add_user(
        self,
        user_id: str,
        name: str,
        *,
        real_name: str | None = None,
        email: str | None = None,
        is_bot: bool = False,
        guest: str = "",
        team_id: str | None = None,
    ) -> None:
        """`guest`: "multi" or "single" channel guest; `team_id`: someone of another organisation
        reached through Slack Connect."""
        self.workspace.users[user_id] = User(
            user_id, name, real_name=real_name, email=email, is_bot=is_bot, guest=guest, team_id=team_id
        )

    def join(self, channel: str, user_id: str) -> None:
        """A user joins a channel, as they would with its Join button."""
        self._channel(channel).members.add(user_id)

    def add_usergroup(self, group_id: str, handle: str, members: Sequence[str]) -> None:
        self.workspace.usergroups[group_id] = Usergroup(group_id, handle, list(members), name=handle)

    def add_channel(
        self,
        name: str,
        *,
        channel_id: str | None = None,
        is_private: bool = False,
        members: Sequence[str] = (),
        bot_is_member: bool = True,
        ext_shared: bool = False,
    ) -> str:
        ws = self.workspace
        channel_id = channel_id or ws.new_id("C")
        member_set = set(members) | ({ws.bot_user_id} if bot_is_member else set())
        creator = ws.bot_user_id if bot_is_member else next(iter(members), "USLACKBOT")
        ws.channels[channel_id] = Channel(
            channel_id,
            name,
            is_private,
            members=member_set,
            created_by=creator,
            created=int(time.time()),
            ext_shared=ext_shared,
        )
        ws.channel_messages(channel_id)
        return channel_id

    def add_message(
        self,
        channel: str,
        user: str,
        text: str,
        *,
        blocks: list[dict[str, Any]] | None = None,
        thread_ts: str | None = None,
    ) -> str:
        """Seed a message from anyone (e.g. a human) without a Web API call; returns its ts."""
        target = self._channel(channel)
        message = Message(self.workspace.new_ts(), target.id, user, text, blocks=blocks, thread_ts=thread_ts)
        return self.workspace.add_message(message).ts

    def set_scopes(self, scopes: Iterable[str]) -> None:
        self.workspace.scopes = set(scopes)

    def remove_scope(self, scope: str) -> None:
        self.workspace.scopes.discard(scope)

    def add_scope(self, scope: str) -> None:
        self.workspace.scopes.add(scope)

    # --- interaction helpers ------------------------------------------------------------------------
    def issue_trigger_id(self, user: str | None = None) -> str:
        """A trigger_id for views.open/push: valid ``workspace.trigger_ttl`` (3) seconds, single use."""
        trigger_id = f"{len(self.workspace.triggers) + 1}.{int(time.time())}.{secrets.token_hex(8)}"
        self.workspace.triggers[trigger_id] = Trigger(trigger_id, time.monotonic(), user)
        return trigger_id

    def issue_response_url(
        self, channel: str | None = None, user: str | None = None, *, message_ts: str | None = None
    ) -> str:
        """``origin/response/<id>``; ``message_ts`` names the original for replace/delete_original."""
        rid = secrets.token_hex(8)
        channel_id = self._channel(channel).id if channel else None
        url = f"{self.origin}/response/{rid}"
        self.workspace.response_urls[rid] = ResponseUrl(
            rid, url, channel_id, user, message_ts, time.monotonic()
        )
        return url

    # --- failure injection --------------------------------------------------------------------------
    def fail_next(self, method: str, error: str = "internal_error", *, times: int = 1, **extra: Any) -> None:
        self._failures.add(method, Failure("error", error=error, extra=extra), times)

    def rate_limit_next(self, method: str, *, retry_after: int = 1, times: int = 1) -> None:
        self._failures.add(method, Failure("ratelimit", retry_after=retry_after), times)

    def http_error_next(self, method: str, *, status: int = 500, times: int = 1) -> None:
        self._failures.add(method, Failure("http", status=status), times)

    def http_error_after(self, method: str, *, status: int = 500, times: int = 1) -> None:
        """The next `method` calls are carried out (the message is stored), then answered `status`."""
        self._server.after.add(method, AfterFault("http", status=status), times)

    def reset_after(self, method: str, *, times: int = 1) -> None:
        """The next `method` calls are carried out, then the connection drops before the answer."""
        self._server.after.add(method, AfterFault("reset"), times)

    def slow_answer(self, method: str, seconds: float, *, times: int = 1) -> None:
        """The next `method` calls are carried out at once, and answered `seconds` later."""
        self._server.after.add(method, AfterFault("slow", delay=seconds), times)

    def limit_post_rate(self, per_channel_per_second: float | None) -> None:
        self._post_limiter.configure(per_channel_per_second)

    def hold_next(self, method: str) -> Hold:
        """The next `method` call is carried out, but its answer waits for `hold.release()`."""
        return self._server.holds.add(method)

    def clear_failures(self) -> None:
        self._server.holds.release_all()
        self._failures.clear()
        self._server.after.clear()
        self._post_limiter.configure(None)

    # --- records ------------------------------------------------------------------------------------
    @property
    def calls(self) -> list[Call]:
        return self.workspace.calls

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.workspace.calls if c.method == method]

    def messages(self, channel: str) -> list[Message]:
        return list(self.workspace.channel_messages(self._channel(channel).id))

    def last_message(self, channel: str) -> Message:
        messages = self.messages(channel)
        if not messages:
            raise LookupError(f"no messages in {channel}")
        return messages[-1]

    def ephemerals(self, *, channel: str | None = None, user: str | None = None) -> list[Ephemeral]:
        channel_id = self._channel(channel).id if channel else None
        return [
            e
            for e in self.workspace.ephemerals
            if (channel_id is None or e.channel == channel_id) and (user is None or e.user == user)
        ]

    def responses(self, response_url: str | None = None) -> list[dict]:
        return [body for url, body in self.workspace.responses if response_url is None or url == response_url]

    def channel(self, id_or_name: str) -> Channel:
        return self._channel(id_or_name)

    def channel_by_name(self, name: str) -> Channel | None:
        name = name.lstrip("#")
        return next((c for c in self.workspace.channels.values() if c.name == name and not c.is_im), None)

    @property
    def opened_views(self) -> list[OpenedView]:
        return self.workspace.opened_views

    def view(self, view_id: str) -> dict:
        return self.workspace.views[view_id]

    @property
    def home_views(self) -> dict[str, dict]:
        return self.workspace.home_views

    def files(self, channel: str | None = None) -> list[File]:
        channel_id = self._channel(channel).id if channel else None
        return [f for f in self.workspace.files.values() if channel_id is None or channel_id in f.channels]

    def transcript(self, channel: str) -> str:
        return channel_transcript(self.workspace, self._channel(channel))

    def render_view(self, view: dict) -> str:
        return view_rendering(self.workspace, view)

    def render_message(self, message: Message) -> str:
        """One message as the channel shows it (the transcript's format)."""
        return "\n".join(message_lines(self.workspace, message, indent=""))

    def render_ephemeral(self, note: Ephemeral) -> str:
        """A private note as the user would read it (its blocks, else its text)."""
        if note.blocks:
            return "\n".join(render_blocks(note.blocks, self.workspace))
        return text_of({"type": "mrkdwn", "text": note.text}, self.workspace)

    def _channel(self, ref: str) -> Channel:
        """A channel by id, name, ``#name`` or (for a DM) the other user's id."""
        ws = self.workspace
        found = ws.find_channel(ref)
        if found is None and ref in ws.users:
            found = ws.dm_channel(ref)
        if found is None:
            raise KeyError(f"unknown channel {ref!r}")
        return found
