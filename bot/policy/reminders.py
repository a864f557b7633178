"""The `[reminders]` table: heads-up, nag, repeats while overdue, the escalation ladder, pauses."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from bot.durations import parse_duration
from bot.enums import Role

OLD_KEYS = ("escalate_after", "escalation_channel")
# roles a ladder tier may name: the incident's own people and the policy-wide lists
TIER_ROLES = frozenset(
    {Role.COMMANDER, Role.COMMS_OWNER, Role.REPORTER, Role.RESPONDERS, Role.APPROVERS, Role.CS_LEADS}
    | {Role.ADMINS}
)
_TARGET = re.compile(r"^(channel|group):[A-Za-z0-9_.-]{1,80}$")


def _duration(value: Any) -> Any:
    return parse_duration(value) if isinstance(value, str) else value


Duration = Annotated[timedelta, BeforeValidator(_duration)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EscalationTier(_Strict):
    """One step of the ladder: `after` this long overdue, tell `notify` (once per due time)."""

    after: Duration
    notify: list[str] = Field(min_length=1, max_length=20)

    @field_validator("notify")
    @classmethod
    def _known_targets(cls, value: list[str]) -> list[str]:
        for entry in value:
            if entry not in TIER_ROLES and not _TARGET.match(entry):
                roles = sorted(r.value for r in TIER_ROLES)
                raise ValueError(f"{entry!r} is not a role ({roles}), channel:<id> or group:<id>")
        return value


class RemindersPolicy(_Strict):
    """When the incident channel is nagged about the next customer update."""

    heads_up: Duration = timedelta(minutes=10)  # before the update is due
    escalate_after: Duration = timedelta(minutes=15)  # overdue by this much: escalate (the old one-tier form)
    escalation_channel: str = ""  # also told on escalation; empty = the incident channel only
    escalation: list[EscalationTier] = Field(default_factory=list, max_length=10)  # the ladder
    repeat_every: Duration = timedelta(minutes=15)  # while overdue, remind again this often
    max_pause: Duration = timedelta(hours=4)  # a pause ends by itself after this long
    snooze_options: list[Duration] = Field(
        default_factory=lambda: [timedelta(minutes=15), timedelta(minutes=30), timedelta(hours=1)],
        min_length=1,
        max_length=5,
    )
    sweep_interval: Duration = timedelta(seconds=1)  # how often the scheduler looks for due reminders

    @model_validator(mode="after")
    def _consistent(self) -> RemindersPolicy:
        if self.escalation and (old := [k for k in OLD_KEYS if k in self.model_fields_set]):
            raise ValueError(
                f"reminders.escalation replaces {' and '.join(f'reminders.{k}' for k in old)}; "
                "set one or the other (README: migrating to the escalation ladder)"
            )
        if self.repeat_every < self.sweep_interval:
            raise ValueError("reminders.repeat_every must not be shorter than reminders.sweep_interval")
        if self.max_pause <= timedelta(0):
            raise ValueError("reminders.max_pause must be longer than zero")
        return self

    @property
    def tiers(self) -> list[EscalationTier]:
        """The ladder by `after`; without `escalation`, the old keys make its one tier."""
        if self.escalation:
            return sorted(self.escalation, key=lambda tier: tier.after)
        extra = [f"channel:{self.escalation_channel}"] if self.escalation_channel else []
        return [EscalationTier(after=self.escalate_after, notify=["commander", *extra])]
