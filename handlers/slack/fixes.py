"""What a workspace admin should do about each Slack error, as the refusal's fix."""

from __future__ import annotations

from typing import Any


def fix_for(error: str, response: dict[str, Any]) -> str:
    """What a workspace admin should do about a Slack error (never echoes tokens)."""
    if error == "missing_scope":
        return (
            f"Add the `{response.get('needed', '?')}` bot scope to the Slack app "
            "(manifest.yml lists every scope) and reinstall it."
        )
    return {
        "not_in_channel": "Invite the bot to that channel (`/invite @incident-comms`).",
        "channel_not_found": "Check the channel id in the policy file; the bot must be able to see it.",
        "is_archived": "That channel is archived; unarchive it or change the policy.",
        "ratelimited": "Slack is rate-limiting the bot; it retried and gave up. Try again in a minute.",
        "invalid_auth": "The bot token is invalid; check SLACK_BOT_TOKEN.",
        "not_authed": "No bot token is configured; set SLACK_BOT_TOKEN.",
        "restricted_action": "A workspace setting forbids this for apps; ask a Slack admin.",
        "no_such_subteam": "The policy's responder group does not exist; check `incident.responder_group`.",
        "upload_failed": "Slack did not accept the file's content; try again in a minute.",
        "timeout": "Slack did not answer in time; the bot tries again where it can.",
        "connection_error": "The connection to Slack dropped; the bot tries again where it can.",
    }.get(error, f"Slack answered `{error}`.")
