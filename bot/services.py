"""The core services, built once by the composition root and handed to the adapters."""

from __future__ import annotations

from dataclasses import dataclass

from bot.approvals import ApproverDirectory
from bot.archiving import ChannelArchiver
from bot.background import TaskTracker
from bot.clock import Clock
from bot.config import Settings
from bot.digest_cards import DigestCards
from bot.digests import DigestService
from bot.drafts import DraftService
from bot.export import PlanExport
from bot.external_delivery import ExternalDeliveries, build_external
from bot.follow_up_cards import FollowUpCards
from bot.follow_ups import FollowUpService
from bot.incident_cards import IncidentCards
from bot.incident_setup import IncidentSetup
from bot.incidents import IncidentService
from bot.messages import MessageFlow
from bot.metrics import Metrics
from bot.policy import Policy
from bot.ports import ChatPlatform
from bot.publishing import Publisher
from bot.reminder_cards import ReminderCards
from bot.reminder_controls import ReminderControls
from bot.reminders import ReminderSweep
from bot.resolution import ResolutionService
from bot.resolution_flow import ResolutionFlow
from bot.templating import Templates
from storage.db import Database


@dataclass
class Core:
    settings: Settings
    policy: Policy
    clock: Clock
    db: Database
    metrics: Metrics
    tracker: TaskTracker
    templates: Templates
    incidents: IncidentService
    cards: IncidentCards
    setup: IncidentSetup
    platform: ChatPlatform
    publisher: Publisher
    drafts: DraftService
    messages: MessageFlow
    reminders: ReminderSweep
    reminder_controls: ReminderControls
    digests: DigestService
    follow_ups: FollowUpService
    resolution: ResolutionFlow
    archiver: ChannelArchiver
    export: PlanExport
    external: ExternalDeliveries


def build_core(
    settings: Settings, policy: Policy, clock: Clock, db: Database, metrics: Metrics, platform: ChatPlatform
) -> Core:
    templates = Templates(policy.messages.templates_dir)
    incidents = IncidentService(db, policy, clock)
    cards = IncidentCards(templates, policy)
    enqueuer, external = build_external(
        settings, policy, clock, db, platform, templates, cards.ref, metrics=metrics
    )
    publisher = Publisher(db, platform, clock, policy, metrics, cards.ref, external=enqueuer.enqueue)
    directory = ApproverDirectory(policy, platform)
    drafts = DraftService(db, policy, clock, templates, directory, publisher.enqueue, cards.ref)
    messages = MessageFlow(drafts, platform, publisher)
    setup = IncidentSetup(incidents, cards, platform)
    reminders = ReminderSweep(
        db, platform, clock, policy, ReminderCards(templates, policy, cards.ref), metrics
    )
    follow_ups = FollowUpService(db, policy, clock)
    resolution = ResolutionFlow(
        ResolutionService(db, policy, clock, cards.ref),
        follow_ups,
        FollowUpCards(templates, cards.ref),
        messages,
        reminders,
        setup,
        platform,
    )
    return Core(
        settings=settings,
        policy=policy,
        clock=clock,
        db=db,
        metrics=metrics,
        tracker=TaskTracker(metrics),
        templates=templates,
        incidents=incidents,
        cards=cards,
        setup=setup,
        platform=platform,
        publisher=publisher,
        drafts=drafts,
        messages=messages,
        reminders=reminders,
        reminder_controls=ReminderControls(db, policy, clock, cards.ref),
        digests=DigestService(db, policy, clock, platform, DigestCards(templates, policy, cards.ref)),
        follow_ups=follow_ups,
        resolution=resolution,
        archiver=ChannelArchiver(db, platform, policy),
        export=PlanExport(db, policy, templates, cards.ref),
        external=external,
    )
