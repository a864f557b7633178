"""Drafting, approving, rejecting, editing and correcting messages from Slack."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.chat.cards import Card
from bot.comms.drafting import DraftFacts
from bot.drafts.cards import describe
from bot.drafts.forms import parse_draft, parse_reason
from bot.drafts.state import stale_draft
from bot.enums import Action, AudienceKind, DraftStatus, Stage
from bot.errors import Invalid, NotFound
from handlers.slack.after_ack import Slack, ack_then, validated
from handlers.slack.blocks.draft_forms import draft_modal, reject_modal
from handlers.slack.form_values import form_values, view_metadata
from handlers.slack.ids import ActionId, CallbackId


def register(app: AsyncApp, slack: Slack) -> None:
    app.action(ActionId.DRAFT_UPDATE.value)(ack_then(slack, open_new_update))
    app.action(ActionId.APPROVE_DRAFT.value)(ack_then(slack, approve))
    app.action(ActionId.EDIT_DRAFT.value)(ack_then(slack, open_edit))
    app.action(ActionId.CORRECT_MESSAGE.value)(ack_then(slack, open_edit))
    app.action(ActionId.REJECT_DRAFT.value)(ack_then(slack, open_reject))
    app.action(ActionId.REDACT_DRAFT.value)(ack_then(slack, redact))
    app.view(CallbackId.DRAFT.value)(validated(slack, _draft_facts, drafted))
    app.view(CallbackId.REJECT.value)(validated(slack, _reason, rejected))


def _button(body: dict[str, Any]) -> tuple[int, int]:
    try:
        draft_id, _, version = body["actions"][0]["value"].partition(":")
        return int(draft_id), int(version or 0)
    except (KeyError, IndexError, ValueError, AttributeError):
        raise NotFound("That button no longer points at a draft.") from None


async def open_update_form(slack: Slack, incident_id: int, trigger_id: str, user_id: str) -> None:
    """`/incident update` and the Draft update button: a form prefilled from the last update,
    for someone who may draft (asked before they write it; the draft is checked again)."""
    core = slack.core
    incident = await core.incidents.get(incident_id)
    await core.access.require(user_id, Action.DRAFT, incident)
    previous = await core.drafts.latest_facts(incident_id)
    facts = core.messages.facts_for(incident, Stage.UPDATE, previous)
    audiences = [("Customers", f"{AudienceKind.CUSTOMER}:customers")]
    audiences += [
        (f"{name} (named account)", f"{AudienceKind.NAMED_ACCOUNT}:{name}")
        for name in incident.named_accounts
    ]
    audiences.append(("Internal recipients", f"{AudienceKind.INTERNAL}:internal"))
    meta = {"incident_id": incident_id, "stage": Stage.UPDATE.value}
    title, components = f"Update {core.cards.ref(incident)}", core.policy.status_page.components
    view = draft_modal(facts, title=title, metadata=meta, audiences=audiences, components=components)
    await slack.gateway.open_view(trigger_id, view)


async def open_new_update(slack: Slack, body: dict[str, Any]) -> None:
    try:
        incident_id = int(body["actions"][0]["value"])
    except (KeyError, IndexError, TypeError, ValueError):
        raise NotFound("That button no longer points at an incident.") from None
    await open_update_form(slack, incident_id, body["trigger_id"], body["user"]["id"])


async def open_edit(slack: Slack, body: dict[str, Any]) -> None:
    draft_id, _version = _button(body)
    state = await slack.core.drafts.state(draft_id)
    correcting = state.draft.published_version is not None
    await slack.core.access.require(
        body["user"]["id"], Action.CORRECT if correcting else Action.EDIT_DRAFT, state.incident
    )
    facts = DraftFacts.from_json(state.version.facts)
    meta = {
        "incident_id": state.incident.id,
        "stage": state.draft.stage,
        "draft_id": draft_id,
        "version": state.draft.version,  # a save against a newer version is refused
    }
    title = f"Edit {slack.core.cards.ref(state.incident)}"
    stage, components = Stage(state.draft.stage), slack.core.policy.status_page.components
    view = draft_modal(facts, title=title, metadata=meta, stage=stage, components=components)
    await slack.gateway.open_view(body["trigger_id"], view)


async def approve(slack: Slack, body: dict[str, Any]) -> None:
    draft_id, version = _button(body)
    await slack.core.messages.approve(draft_id, version, approver=body["user"]["id"])


async def open_reject(slack: Slack, body: dict[str, Any]) -> None:
    draft_id, version = _button(body)
    state = await slack.core.drafts.state(draft_id)
    await slack.core.access.require(body["user"]["id"], Action.REJECT, state.incident)
    await slack.gateway.open_view(
        body["trigger_id"], reject_modal({"draft_id": draft_id, "version": version})
    )


async def redact(slack: Slack, body: dict[str, Any]) -> None:
    draft_id, _version = _button(body)
    await slack.core.messages.redact(draft_id, author=body["user"]["id"])


async def _draft_facts(slack: Slack, body: dict[str, Any]) -> DraftFacts:
    """Bad fields, and an edit of a version that is no longer the latest, answered inline."""
    meta = view_metadata(body)
    facts = parse_draft(form_values(body["view"]), Stage(meta.get("stage", "update")), slack.core.clock.now())
    if meta.get("draft_id") and isinstance(meta.get("version"), int):
        current = (await slack.core.drafts.state(int(meta["draft_id"]))).draft.version
        if current != meta["version"]:
            first = next(b["block_id"] for b in body["view"]["blocks"] if b.get("type") == "input")
            raise Invalid({first: stale_draft(meta["version"], current)})  # shown at the top
    return facts


async def drafted(slack: Slack, body: dict[str, Any], facts: DraftFacts) -> None:
    meta, author, core = view_metadata(body), body["user"]["id"], slack.core
    if meta.get("draft_id"):
        based_on = meta.get("version") if isinstance(meta.get("version"), int) else None
        await core.messages.revise(int(meta["draft_id"]), facts, author=author, based_on=based_on)
        return
    kind, _, key = (form_values(body["view"]).get("audience") or "customer:customers").partition(":")
    incident = await core.incidents.get(int(meta["incident_id"]))
    if kind == AudienceKind.NAMED_ACCOUNT and key not in incident.named_accounts:
        raise NotFound("That named account is not part of this incident.")
    stage = Stage(meta.get("stage", "update"))
    state = await core.messages.draft(incident, stage, AudienceKind(kind), key, facts, author=author)
    if state.draft.status != DraftStatus.PENDING and incident.channel_id:  # needed no approval
        await slack.gateway.post_ephemeral(incident.channel_id, author, _sent_note(state))


def _sent_note(state) -> Card:
    text = f"{describe(state)} sent (no approval needed for this audience)."
    return Card(summary=text, body=text)


def _reason(slack: Slack, body: dict[str, Any]) -> str:
    return parse_reason(form_values(body["view"]))


async def rejected(slack: Slack, body: dict[str, Any], reason: str) -> None:
    meta = view_metadata(body)
    await slack.core.messages.reject(
        int(meta.get("draft_id", 0)), int(meta.get("version", 0)), approver=body["user"]["id"], reason=reason
    )
