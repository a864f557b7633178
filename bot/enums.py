"""Platform-neutral vocabularies shared by the core, the adapters and the templates."""

from enum import StrEnum


class IncidentStatus(StrEnum):
    """Status-page vocabulary (Atlassian Statuspage uses the same words)."""

    INVESTIGATING = "investigating"
    IDENTIFIED = "identified"
    MONITORING = "monitoring"
    RESOLVED = "resolved"


class Visibility(StrEnum):
    PUBLIC = "public"
    PRIVATE = "private"


class Stage(StrEnum):
    """Where a message sits in the incident's communications timeline."""

    INITIAL = "initial"
    UPDATE = "update"
    RESOLVED = "resolved"
    POST_INCIDENT = "post_incident"
    MAINTENANCE_SCHEDULED = "maintenance_scheduled"  # planned work announced ahead of its window
    MAINTENANCE_STARTED = "maintenance_started"
    MAINTENANCE_COMPLETED = "maintenance_completed"


class AudienceKind(StrEnum):
    CUSTOMER = "customer"  # the broad external audience
    NAMED_ACCOUNT = "named_account"  # one confidential account; only its own targets
    INTERNAL = "internal"


class Platform(StrEnum):
    SLACK = "slack"
    TEAMS = "teams"


class DraftStatus(StrEnum):
    PENDING = "pending"  # waiting for approvals (or for its first publish when no approval is needed)
    APPROVED = "approved"  # quorum reached; its outbox entries are being delivered
    PUBLISHED = "published"  # every target delivered or given up on
    REJECTED = "rejected"


class OutboxStatus(StrEnum):
    PENDING = "pending"
    IN_FLIGHT = "in_flight"  # claimed by a sender; if that process dies, reconcile before resending
    DELIVERED = "delivered"
    FAILED = "failed"  # gave up after the last retry; reported in the incident channel


class OutboxAction(StrEnum):
    POST = "post"
    UPDATE = "update"  # a correction: edit a copy delivered earlier


class ReminderStage(StrEnum):
    """The reminders for one due time, in the order they are sent."""

    HEADS_UP = "heads_up"  # shortly before the update is due: the comms owner
    DUE = "due"  # the update is due: comms owner and commander
    ESCALATION = "escalation"  # overdue: one tier of the ladder (Reminder.step = the tier's index)
    REPEAT = "repeat"  # still overdue: every `repeat_every` (Reminder.step = the repeat's number)
    PAUSE_ENDED = "pause_ended"  # `max_pause` ended a pause (Reminder.step = when it began, epoch s)


class ReminderStatus(StrEnum):
    SENDING = "sending"  # recorded, being posted; a sweep retries it when its claim expires
    POSTED = "posted"
    CLOSED = "closed"  # edited to say the incident was resolved
    WITHDRAWN = "withdrawn"  # never posted: the incident was resolved before the retry
    FAILED = "failed"  # the platform kept refusing; logged


class FollowUpKind(StrEnum):
    RCA = "rca"  # root-cause analysis; completing it drafts the post-incident customer message
    SERVICE_CREDIT = "service_credit"
    RENEWAL_RISK = "renewal_risk"  # one per named account
    EXECUTIVE = "executive"


class FollowUpStatus(StrEnum):
    OPEN = "open"
    COMPLETE = "complete"


class Action(StrEnum):
    """What a person may be allowed to do; the policy's `[permissions]` keys."""

    DECLARE = "declare"
    EDIT = "edit"
    RESOLVE = "resolve"
    REOPEN = "reopen"
    HAND_OVER = "hand_over"  # commander or comms owner to someone else
    DRAFT = "draft"
    EDIT_DRAFT = "edit_draft"
    REDACT = "redact"
    APPROVE = "approve"
    REJECT = "reject"
    CORRECT = "correct"  # a new version of a message already published
    SNOOZE = "snooze"
    PAUSE = "pause"
    RESUME = "resume"
    COMPLETE_FOLLOW_UP = "complete_follow_up"
    REASSIGN_FOLLOW_UP = "reassign_follow_up"
    EXPORT = "export"
    TIMELINE = "timeline"
    STATUS = "status"
    ROLES = "roles"
    DIGEST = "digest"
    DIGEST_POST = "digest_post"
    SCHEDULE_MAINTENANCE = "schedule_maintenance"
    APPROVE_MAINTENANCE = "approve_maintenance"
    EDIT_MAINTENANCE = "edit_maintenance"  # complete it early (and later: edit, extend)
    CANCEL_MAINTENANCE = "cancel_maintenance"


class Role(StrEnum):
    """What a person is, on one incident or in the policy; the values of `[permissions]`."""

    REPORTER = "reporter"
    COMMANDER = "commander"
    COMMS_OWNER = "comms_owner"
    CHANNEL_MEMBERS = "channel_members"  # members of the incident's channel
    FOLLOW_UP_OWNER = "follow_up_owner"  # the owner of the follow-up item acted on
    RESPONDERS = "responders"  # the policy's `incident.responder_group`
    APPROVERS = "approvers"  # `approvals.approvers`
    CS_LEADS = "cs_leads"  # `roles.cs_leads`
    ADMINS = "admins"  # `roles.admins`
    EVERYONE = "everyone"  # any member of the workspace or tenant


class Handover(StrEnum):
    """The incident roles that can be handed to someone else."""

    COMMANDER = "commander"
    COMMS_OWNER = "comms_owner"
