"""Every callback, block and action id the Slack adapter uses, in one place."""

from enum import StrEnum

from bot.chat.cards import CardAction

ActionId = CardAction  # buttons on core cards use the core's action names as Slack action_ids


class CallbackId(StrEnum):
    DECLARE = "incident_declare"
    EDIT = "incident_edit"
    DRAFT = "message_draft"
    REJECT = "message_reject"
    RESOLVE = "incident_resolve"
    COMPLETE_FOLLOW_UP = "follow_up_complete"
    CHANGE_FOLLOW_UP = "follow_up_change"
    HAND_OVER = "incident_handover"


class Field(StrEnum):
    """Input blocks of the incident forms; block_id is the field name, action_id is VALUE."""

    TITLE = "title"
    WHAT_HAPPENED = "what_happened"
    CUSTOMER_IMPACT = "customer_impact"
    SEVERITY = "severity"
    SEGMENTS = "segments"
    NAMED_ACCOUNTS = "named_accounts"
    COMMANDER = "commander"
    COMMS_OWNER = "comms_owner"
    VISIBILITY = "visibility"
    STATUS = "status"
    STATUS_NOTE = "status_note"
    ROLE = "role"  # the hand-over form
    TO = "to"


class DraftField(StrEnum):
    """Input blocks of the drafting form (block_id = DraftFacts field name)."""

    AUDIENCE = "audience"
    HEADLINE = "headline"
    WHAT_HAPPENED = "what_happened"
    IMPACT = "impact"
    ETA = "eta"
    ACTIONS_TAKEN = "actions_taken"
    NEXT_STEPS = "next_steps"
    NEXT_UPDATE_AT = "next_update_at"
    SUPPORT_ROUTE = "support_route"
    REASON = "reason"


VALUE = "value"  # the action_id of every form input


class IdempotencyKind(StrEnum):
    EVENT = "slack_event"  # view submissions are keyed by the incident's unique source_key instead
