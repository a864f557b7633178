"""Who may approve a draft, and how many approvals it needs. Enforced on the server."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.policy import Policy
from bot.ports import ChatPlatform

_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$|^[a-z]+:.")  # a Slack user id, or another platform's (`msteams:…`)


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


class ApproverDirectory:
    """The policy's approvers as user ids: listed ids plus the members of listed user groups."""

    def __init__(self, policy: Policy, platform: ChatPlatform) -> None:
        self.policy = policy
        self.platform = platform

    def describe(self) -> str:
        names = [a if _USER_ID.match(a) else f"@{a.lstrip('@')}" for a in self.policy.approvals.approvers]
        return ", ".join(names) or "nobody (no approvers are configured)"

    async def includes(self, user_id: str) -> bool:
        for entry in self.policy.approvals.approvers:
            if entry == user_id:
                return True
            if not _USER_ID.match(entry) and user_id in await self.platform.group_members(entry):
                return True
        return False


async def may_approve(
    *, user_id: str, author_id: str, blocking: bool, directory: ApproverDirectory
) -> Decision:
    """The rules, in the order a person would want to hear them."""
    if not directory.policy.approvals.approvers:
        return Decision.refuse(
            "No approvers are configured. Add user ids or groups to `[approvals] approvers`."
        )
    if not await directory.includes(user_id):
        return Decision.refuse(f"Only approvers ({directory.describe()}) can approve customer messages.")
    if user_id == author_id:
        return Decision.refuse("Authors cannot approve their own draft; ask another approver.")
    if blocking:
        return Decision.refuse("This draft has blocking findings. Edit it (or redact personal data) first.")
    return Decision.allow()


async def may_reject(*, user_id: str, directory: ApproverDirectory) -> Decision:
    if not await directory.includes(user_id):
        return Decision.refuse(f"Only approvers ({directory.describe()}) can reject customer messages.")
    return Decision.allow()
