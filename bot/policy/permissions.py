"""Who may do what: the policy's `[permissions]`, `[roles]` and `[people]` tables.

`[permissions]` maps every `Action` to the roles allowed it; a team overrides one action at a
time (tables merge key by key). The defaults are what an incident team would choose; the
README lists them. A role that can never hold for an action (an incident role on an action
that names no incident) stops start-up, as does an unknown action or role.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, create_model, field_validator, model_validator

from bot.enums import Action, Role

A, R = Action, Role
_INCIDENT_PEOPLE = (R.REPORTER, R.COMMANDER, R.COMMS_OWNER, R.CHANNEL_MEMBERS, R.RESPONDERS)
_CHANGES_INCIDENT = (R.COMMANDER, R.COMMS_OWNER, R.REPORTER, R.RESPONDERS, R.ADMINS)
_READS_RECORD = (R.CHANNEL_MEMBERS, R.COMMANDER, R.COMMS_OWNER, R.REPORTER, R.CS_LEADS, R.ADMINS)
_RUNS_REMINDERS = (R.COMMANDER, R.COMMS_OWNER, R.ADMINS)
_OWNS_FOLLOW_UP = (R.FOLLOW_UP_OWNER, R.COMMANDER, R.COMMS_OWNER, R.ADMINS)

DEFAULT_PERMISSIONS: dict[Action, tuple[Role, ...]] = {
    A.DECLARE: (R.EVERYONE,),
    A.EDIT: _CHANGES_INCIDENT,
    A.RESOLVE: _CHANGES_INCIDENT,
    A.REOPEN: _CHANGES_INCIDENT,
    A.HAND_OVER: (R.COMMANDER, R.COMMS_OWNER, R.ADMINS),
    A.DRAFT: (*_INCIDENT_PEOPLE, R.ADMINS),
    A.EDIT_DRAFT: (*_INCIDENT_PEOPLE, R.APPROVERS, R.ADMINS),
    A.REDACT: (*_INCIDENT_PEOPLE, R.APPROVERS, R.ADMINS),
    A.APPROVE: (R.APPROVERS,),
    A.REJECT: (R.APPROVERS,),
    A.CORRECT: (*_INCIDENT_PEOPLE, R.APPROVERS, R.ADMINS),
    A.SNOOZE: _RUNS_REMINDERS,
    A.PAUSE: _RUNS_REMINDERS,
    A.RESUME: _RUNS_REMINDERS,
    A.COMPLETE_FOLLOW_UP: _OWNS_FOLLOW_UP,
    A.REASSIGN_FOLLOW_UP: _OWNS_FOLLOW_UP,
    A.EXPORT: _READS_RECORD,
    A.TIMELINE: _READS_RECORD,
    A.STATUS: (*_INCIDENT_PEOPLE, R.APPROVERS, R.CS_LEADS, R.ADMINS),
    A.ROLES: (*_INCIDENT_PEOPLE, R.APPROVERS, R.CS_LEADS, R.ADMINS),
    A.DIGEST: (R.EVERYONE,),
    A.DIGEST_POST: (R.CS_LEADS, R.RESPONDERS, R.ADMINS),
    A.SCHEDULE_MAINTENANCE: (R.EVERYONE,),  # as declaring: nothing reaches customers unapproved
    A.APPROVE_MAINTENANCE: (R.APPROVERS,),
    A.EDIT_MAINTENANCE: (R.REPORTER, R.APPROVERS, R.ADMINS),  # the reporter: who scheduled it
    A.CANCEL_MAINTENANCE: (R.REPORTER, R.APPROVERS, R.ADMINS),
}
# actions that name no incident
NO_INCIDENT = frozenset({A.DECLARE, A.DIGEST, A.DIGEST_POST, A.SCHEDULE_MAINTENANCE})
INCIDENT_ROLES = frozenset({R.REPORTER, R.COMMANDER, R.COMMS_OWNER, R.CHANNEL_MEMBERS, R.FOLLOW_UP_OWNER})
FOLLOW_UP_ACTIONS = frozenset({A.COMPLETE_FOLLOW_UP, A.REASSIGN_FOLLOW_UP})


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_roles(action: Action, roles: list[Role]) -> list[Role]:
    if action in NO_INCIDENT and (never := INCIDENT_ROLES.intersection(roles)):
        raise ValueError(
            f"{sorted(r.value for r in never)} never hold for {action.value!r}, which names no incident"
        )
    if action in (A.APPROVE, A.REJECT) and R.EVERYONE in roles:
        raise ValueError("'everyone' may not decide customer messages; name approvers or another role")
    if action not in FOLLOW_UP_ACTIONS and R.FOLLOW_UP_OWNER in roles:
        raise ValueError(f"'follow_up_owner' only holds for {sorted(a.value for a in FOLLOW_UP_ACTIONS)}")
    return roles


def _validator(action: Action):
    return field_validator(action.value)(classmethod(lambda cls, value: _check_roles(action, value)))


PermissionsPolicy = create_model(  # one field per action, so a misspelt action is an unknown key
    "PermissionsPolicy",
    __base__=_Strict,
    __validators__={f"_check_{a.value}": _validator(a) for a in Action},
    **{
        a.value: (list[Role], Field(default_factory=lambda a=a: list(DEFAULT_PERMISSIONS[a]))) for a in Action
    },
)


def allowed_roles(permissions: BaseModel, action: Action) -> tuple[Role, ...]:
    return tuple(getattr(permissions, action.value))


class RolesPolicy(_Strict):
    """People or groups (user ids, `[people]` names, user group handles) holding a policy role."""

    cs_leads: list[str] = Field(default_factory=list)  # may see confidential digests
    admins: list[str] = Field(default_factory=list)  # may do what any incident role may


_SLACK_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")


class PersonEntry(_Strict):
    """One human's identities: a Slack user id and a Teams object id or UPN."""

    slack: str = Field(default="", pattern=r"^$|^[UW][A-Z0-9]{2,}$")
    teams: str = Field(default="", max_length=320)
    name: str = Field(default="", max_length=80)  # how cards name them; empty = the platform's name

    @property
    def ids(self) -> frozenset[str]:
        teams = self.teams.removeprefix("msteams:")
        return frozenset(i for i in (self.slack, f"msteams:{teams.casefold()}" if teams else "") if i)


class PeoplePolicy(_Strict):
    """`[people.<name>]` tables, and the e-mail domains whose verified addresses link identities."""

    link_domains: list[str] = Field(default_factory=list)
    named: dict[str, PersonEntry] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _split(cls, data: Any) -> Any:
        if not isinstance(data, dict) or "named" in data:
            return data
        named = {k: v for k, v in data.items() if k != "link_domains"}
        return {"link_domains": data.get("link_domains", []), "named": named}

    @field_validator("link_domains")
    @classmethod
    def _domains(cls, value: list[str]) -> list[str]:
        for domain in value:
            if not re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+", domain):
                raise ValueError(f"{domain!r} is not a lowercase e-mail domain like example.com")
        return value

    @field_validator("named")
    @classmethod
    def _one_person_per_id(cls, value: dict[str, PersonEntry]) -> dict[str, PersonEntry]:
        owner: dict[str, str] = {}
        for name, entry in value.items():
            if not re.fullmatch(r"[a-z0-9_.-]{1,40}", name):
                raise ValueError(f"person name {name!r} must be 1-40 lowercase letters, digits, ., - or _")
            for user_id in entry.ids:
                if user_id in owner:
                    raise ValueError(f"{user_id} is listed for both {owner[user_id]!r} and {name!r}")
                owner[user_id] = name
        return value
