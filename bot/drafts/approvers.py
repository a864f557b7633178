"""Who may approve a draft, and how many approvals it needs. Enforced on the server."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.chat.cards import mention
from bot.chat.ports import ChatPlatform
from bot.policy.model import Policy

_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$|^[a-z]+:.")  # a Slack user id, or another platform's (`msteams:…`)
_PREFIXED = re.compile(r"^[a-z]+:.")  # another platform's id: Teams object ids and UPNs ignore case


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""

    @classmethod
    def allow(cls) -> Decision:
        return cls(True)

    @classmethod
    def refuse(cls, reason: str) -> Decision:
        return cls(False, reason)


def _same_case(user_id: str) -> str:
    return user_id.casefold() if _PREFIXED.match(user_id) else user_id


class ApproverDirectory:
    """The policy's approvers as user ids: listed ids plus the members of listed user groups.

    A person may be listed under any id their platform knows them by (`ChatPlatform.aliases`:
    on Teams the Entra object id or the UPN), so each check compares every alias.
    """

    def __init__(self, policy: Policy, platform: ChatPlatform) -> None:
        self.policy = policy
        self.platform = platform

    def describe(self) -> str:
        names = [
            mention(a) if _USER_ID.match(a) else f"@{a.lstrip('@')}" for a in self.policy.approvals.approvers
        ]
        return ", ".join(names) or "nobody (no approvers are configured)"

    async def _aliases(self, user_id: str) -> frozenset[str]:
        return frozenset(_same_case(a) for a in await self.platform.aliases(user_id) | {user_id})

    async def includes(self, user_id: str) -> bool:
        known = await self._aliases(user_id)
        for entry in self.policy.approvals.approvers:
            if _same_case(entry) in known:
                return True
            if not _USER_ID.match(entry) and known.intersection(await self.platform.group_members(entry)):
                return True
        return False

    async def same_person(self, user_id: str, other_id: str) -> bool:
        """True when both ids name one person, e.g. a Teams object id and that user's UPN."""
        if user_id == other_id:
            return True
        return bool(await self._aliases(user_id) & await self._aliases(other_id))


async def may_approve(
    *, user_id: str, authors: frozenset[str], blocking: bool, directory: ApproverDirectory
) -> Decision:
    """The rules, in the order a person would want to hear them. `authors`: everyone who
    wrote the version being approved or any version before it."""
    if not directory.policy.approvals.approvers:
        return Decision.refuse(
            "No approvers are configured. Add user ids or groups to `[approvals] approvers`."
        )
    if not await directory.includes(user_id):
        return Decision.refuse(f"Only approvers ({directory.describe()}) can approve customer messages.")
    for author in sorted(authors):
        if await directory.same_person(user_id, author):
            return Decision.refuse("Authors cannot approve their own draft; ask another approver.")
    if blocking:
        return Decision.refuse("This draft has blocking findings. Edit it (or redact personal data) first.")
    return Decision.allow()


async def may_reject(*, user_id: str, directory: ApproverDirectory) -> Decision:
    if not await directory.includes(user_id):
        return Decision.refuse(f"Only approvers ({directory.describe()}) can reject customer messages.")
    return Decision.allow()
