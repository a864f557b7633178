"""The core services, built once by the composition root and handed to the adapters."""

from __future__ import annotations

from dataclasses import dataclass

from bot.access.guard import Access
from bot.access.names import Names
from bot.access.people import People
from bot.access.roles import RoleBook
from bot.background import TaskTracker
from bot.chat.ports import ChatPlatform
from bot.chat.templating import Templates
from bot.clock import Clock
from bot.config import Settings
from bot.digests.cards import DigestCards
from bot.digests.service import DigestService
from bot.drafts.flow import MessageFlow
from bot.drafts.service import DraftService
from bot.export.service import PlanExport
from bot.external.delivery import ExternalDeliveries, build_external
from bot.incidents.cards import IncidentCards
from bot.incidents.service import IncidentService
from bot.incidents.setup import IncidentSetup
from bot.metrics import Metrics
from bot.policy.model import Policy
from bot.publishing.publisher import Publisher
from bot.reminders.cards import ReminderCards
from bot.reminders.controls import ReminderControls
from bot.reminders.sweep import ReminderSweep
from bot.resolution.archiving import ChannelArchiver
from bot.resolution.flow import ResolutionFlow
from bot.resolution.follow_up_cards import FollowUpCards
from bot.resolution.follow_ups import FollowUpService
from bot.resolution.service import ResolutionService
from bot.services.roles import Role
from bot.slo.breach import FirstUpdateBreaches
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
    access: Access
    names: Names
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
    first_update_breaches: FirstUpdateBreaches
    role: Role = Role.ALL  # what this process does (bot/services/roles.py)


def build_core(
    settings: Settings, policy: Policy, clock: Clock, db: Database, metrics: Metrics, platform: ChatPlatform
) -> Core:
    templates = Templates(policy.messages.templates_dir)
    people = People(db, policy, clock, platform)
    access = Access(db, policy, clock, people, RoleBook(policy, platform))
    names = Names(people, platform, clock)
    incidents = IncidentService(db, policy, clock, access)
    cards = IncidentCards(templates, policy)
    enqueuer, external = build_external(
        settings, policy, clock, db, platform, templates, cards.ref, metrics=metrics, names=names
    )
    publisher = Publisher(db, platform, clock, policy, metrics, cards.ref, external=enqueuer.enqueue)
    drafts = DraftService(db, policy, clock, templates, access, publisher.enqueue, cards.ref)
    messages = MessageFlow(drafts, platform, publisher)
    setup = IncidentSetup(incidents, cards, platform, names)
    reminders = ReminderSweep(
        db, platform, clock, policy, ReminderCards(templates, policy, cards.ref), metrics
    )
    resolution = _resolution_flow(db, policy, clock, templates, cards, messages, reminders, setup, access)
    return Core(
        settings=settings,
        policy=policy,
        clock=clock,
        db=db,
        metrics=metrics,
        tracker=TaskTracker(metrics, settings.max_background_tasks),
        templates=templates,
        access=access,
        names=names,
        incidents=incidents,
        cards=cards,
        setup=setup,
        platform=platform,
        publisher=publisher,
        drafts=drafts,
        messages=messages,
        reminders=reminders,
        reminder_controls=ReminderControls(db, policy, clock, cards.ref, platform, access),
        digests=DigestService(db, policy, clock, platform, DigestCards(templates, policy, cards.ref), access),
        follow_ups=resolution.follow_ups,
        resolution=resolution,
        archiver=ChannelArchiver(db, platform, policy),
        export=PlanExport(db, policy, templates, cards.ref, access, clock, names),
        external=external,
        first_update_breaches=FirstUpdateBreaches(db, policy, clock, platform, cards.ref),
    )


def _resolution_flow(
    db: Database,
    policy: Policy,
    clock: Clock,
    templates: Templates,
    cards: IncidentCards,
    messages: MessageFlow,
    reminders: ReminderSweep,
    setup: IncidentSetup,
    access: Access,
) -> ResolutionFlow:
    return ResolutionFlow(
        ResolutionService(db, policy, clock, cards.ref, access),
        FollowUpService(db, policy, clock, access),
        FollowUpCards(templates, cards.ref),
        messages,
        reminders,
        setup,
        setup.platform,
    )
