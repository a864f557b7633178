"""The status-page component inputs of the declare and drafting modals: which components are
affected (a multi-select) and the one status to publish for them (policy `[status_page.components]`)."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    InputBlock,
    Option,
    PlainTextObject,
    StaticMultiSelectElement,
    StaticSelectElement,
)

from bot.policy.status_components import STATUS_CHOICES, ComponentPolicy, ordered
from handlers.slack.ids import VALUE
from handlers.slack.mrkdwn import truncate

COMPONENTS, COMPONENT_STATUS = "components", "component_status"  # block ids, as the forms parse them


def component_blocks(
    components: dict[str, ComponentPolicy], chosen: dict[str, str] | None = None
) -> list[InputBlock]:
    """No blocks when the policy lists no components."""
    if not components:
        return []
    options = [_option(policy.name, cid) for cid, policy in ordered(components)][:100]
    statuses = [_option(label, value) for value, label in STATUS_CHOICES.items()]
    picked = [o for o in options if o.value in (chosen or {})] or None
    status = next(iter((chosen or {}).values()), "partial_outage")
    return [
        InputBlock(
            block_id=COMPONENTS,
            label="Affected components (status page)",
            optional=True,
            element=StaticMultiSelectElement(action_id=VALUE, options=options, initial_options=picked),
            hint="Shown on the public status page once an approved customer message carries them.",
        ),
        InputBlock(
            block_id=COMPONENT_STATUS,
            label="Status of those components",
            optional=True,
            element=StaticSelectElement(
                action_id=VALUE,
                options=statuses,
                initial_option=next(o for o in statuses if o.value == status),
            ),
        ),
    ]


def _option(label: str, value: str) -> Option:
    return Option(text=PlainTextObject(text=truncate(label, 75)), value=value)
