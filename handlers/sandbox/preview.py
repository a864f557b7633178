"""Template preview: a stage template, edited in the page, rendered for a sample incident and checked.

The override is rendered exactly as the app renders a draft (`bot/comms/drafting.py::render_draft`,
the shipped templates behind it, the policy's checks), but in Jinja2's sandbox: the page's text is
never trusted with Python's attributes. Nothing is saved; the page offers the text for download.
"""

from __future__ import annotations

import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from bot.chat.templating import Templates
from bot.comms.checks import check_draft
from bot.comms.drafting import default_facts, render_draft, template_name
from bot.drafts.cards import checklist
from bot.enums import AudienceKind, Stage
from bot.policy.model import Policy
from handlers.sandbox.cast import ALICE, BOB, CAROL
from handlers.slack.mrkdwn import to_mrkdwn
from storage.models import Incident

STAGES = (Stage.INITIAL, Stage.UPDATE, Stage.RESOLVED, Stage.POST_INCIDENT)
ACCOUNT = "Acme Corp"
MAX_SOURCE = 20_000


def shipped_source(templates: Templates, stage: str, audience: str) -> str:
    """The template the app would use now (an override in the policy's folder, else the shipped one)."""
    name = template_name(Stage(stage), AudienceKind(audience))
    source, _, _ = templates.env.loader.get_source(templates.env, name)
    return source


def _sandboxed(templates: Templates) -> None:
    env = templates.env
    safe = SandboxedEnvironment(
        loader=env.loader,
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    safe.filters.update(env.filters)
    safe.globals.update(env.globals)
    templates.env = safe


def sample_incident(stage: Stage, now: datetime) -> Incident:
    done = stage in (Stage.RESOLVED, Stage.POST_INCIDENT)
    return Incident(
        id=1,
        title="Checkout errors in EU",
        what_happened="Card payments fail at checkout for customers in the EU.",
        customer_impact="EU customers cannot complete purchases.",
        severity="SEV2",
        status="resolved" if done else "identified",
        visibility="public",
        segments=["EU region"],
        named_accounts=[ACCOUNT],
        reporter_id=ALICE,
        commander_id=BOB,
        comms_owner_id=CAROL,
        source_key="sandbox-preview",
        declared_at=now - timedelta(minutes=40),
        updated_at=now,
        resolved_at=now if done else None,
    )


def preview(policy: Policy, stage: str, audience: str, source: str, now: datetime) -> dict[str, Any]:
    """The rendered message (Slack mrkdwn) and its checklist; or the template's error."""
    if Stage(stage) not in STAGES or len(source) > MAX_SOURCE:
        raise ValueError("pick a stage, and keep the template under 20,000 characters")
    kind = AudienceKind(audience)
    name = template_name(Stage(stage), kind)
    account = ACCOUNT if kind == AudienceKind.NAMED_ACCOUNT else None
    incident = sample_incident(Stage(stage), now)
    facts = default_facts(incident, Stage(stage), policy, now)
    with tempfile.TemporaryDirectory(prefix="sandbox-template-") as folder:
        (Path(folder) / name).parent.mkdir(parents=True)
        (Path(folder) / name).write_text(source, "utf-8")
        templates = Templates(Path(folder))
        _sandboxed(templates)
        try:
            text = render_draft(
                templates,
                incident,
                Stage(stage),
                kind,
                facts,
                reference="INC-1",
                account=account,
                own_support_route=policy.messages.support_route,
            )
        except Exception as error:  # a template error, or what its expressions raise (1/0)
            return {"error": f"{type(error).__name__}: {error}", "file": name}
    may_name = incident.named_accounts if kind == AudienceKind.INTERNAL else [account or ""]
    report = check_draft(
        text,
        Stage(stage),
        named_accounts=incident.named_accounts,
        may_name=[n for n in may_name if n],
        rules=policy.checks,
    )
    return {
        "text": to_mrkdwn(text),
        "checks": to_mrkdwn(checklist(report.to_json())),
        "blocking": report.blocking,
        "file": name,
    }
