"""Every stage × audience template renders complete, calm text the draft checks accept."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from bot.chat.templating import Templates
from bot.comms.checks import check_draft
from bot.comms.drafting import NO_ESTIMATE, DraftFacts, render_draft, template_name
from bot.comms.maintenance import MAINTENANCE_STAGES
from bot.enums import AudienceKind, Stage
from storage.models import Incident
from tests.comms.conftest import ACCOUNTS, MAINTENANCE

AUDIENCES = [
    (AudienceKind.CUSTOMER, None),
    (AudienceKind.NAMED_ACCOUNT, "Acme Corp"),
    (AudienceKind.INTERNAL, None),
]
CUSTOMER_FACING = AUDIENCES[:2]


def _render(templates: Templates, incident: Incident, stage: Stage, kind: AudienceKind, facts: DraftFacts,
            account: str | None = None) -> str:  # fmt: skip
    maintenance = MAINTENANCE if stage in MAINTENANCE_STAGES else None
    return render_draft(
        templates, incident, stage, kind, facts, reference="INC-42", account=account, maintenance=maintenance
    )


def test_template_names() -> None:
    assert template_name(Stage.UPDATE, AudienceKind.CUSTOMER) == "customer/update.md.j2"
    assert template_name(Stage.INITIAL, AudienceKind.NAMED_ACCOUNT) == "customer/initial.md.j2"
    assert template_name(Stage.POST_INCIDENT, AudienceKind.INTERNAL) == "internal/post_incident.md.j2"
    assert (
        template_name(Stage.MAINTENANCE_STARTED, AudienceKind.CUSTOMER)
        == "customer/maintenance_started.md.j2"
    )


def test_maintenance_notices_show_the_window_services_and_impact(templates, incident, stage_facts) -> None:
    for stage in MAINTENANCE_STAGES:
        text = _render(templates, incident, stage, AudienceKind.CUSTOMER, stage_facts[stage])
        assert "Sat 12 Dec 2026, 02:00–04:00 UTC" in text
        assert "Checkout, Order history" in text
        assert MAINTENANCE.expected_impact in text
        assert "incident" not in text.lower()  # planned work, not an incident


def test_a_maintenance_notice_without_its_facts_reports_them_missing(
    templates, incident, stage_facts
) -> None:
    stage = Stage.MAINTENANCE_SCHEDULED
    facts = replace(stage_facts[stage], headline="Planned maintenance")  # a headline naming no service
    text = render_draft(templates, incident, stage, AudienceKind.CUSTOMER, facts, reference="M-1")
    assert check_draft(text, stage).missing == ("window", "affected_services", "expected_impact")


def test_shipped_resolution_templates_read_in_the_past_tense(templates, incident, stage_facts) -> None:
    """The live facts are present tense ("cannot complete purchases", "since 09:12"); the resolved and
    post-incident prefills rewrite them, so the tense check finds nothing in any audience's text."""
    for stage in (Stage.RESOLVED, Stage.POST_INCIDENT):
        facts = stage_facts[stage]
        for kind, account in AUDIENCES:
            text = _render(templates, incident, stage, kind, facts, account)
            assert [f for f in check_draft(text, stage).findings if f.kind == "tense"] == [], text
        live = replace(facts, impact=incident.customer_impact)  # pasted back in the present tense
        text = _render(templates, incident, stage, AudienceKind.CUSTOMER, live)
        assert {f.match for f in check_draft(text, stage).findings if f.kind == "tense"} == {"cannot", "fail"}


@pytest.mark.parametrize("stage", list(Stage))
@pytest.mark.parametrize(("kind", "account"), CUSTOMER_FACING)
def test_customer_drafts_are_complete_and_clean(
    templates, incident, stage_facts, stage, kind, account
) -> None:
    text = _render(templates, incident, stage, kind, stage_facts[stage], account)
    report = check_draft(
        text, stage, named_accounts=incident.named_accounts, may_name=[account] if account else []
    )
    assert report.missing == (), text
    assert report.findings == (), text
    assert not report.blocking


@pytest.mark.parametrize("stage", list(Stage))
def test_internal_drafts_are_complete_and_show_internal_details(
    templates, incident, stage_facts, stage
) -> None:
    text = _render(templates, incident, stage, AudienceKind.INTERNAL, stage_facts[stage])
    report = check_draft(
        text, stage, named_accounts=incident.named_accounts, may_name=incident.named_accounts
    )
    assert report.missing == (), text
    assert report.findings == (), text
    incident_only = () if stage in MAINTENANCE_STAGES else ("SEV2", "investigating")
    for detail in ("INC-42", *incident_only, "Checkout errors in EU", "EU region", *ACCOUNTS):
        assert detail in text


@pytest.mark.parametrize("stage", list(Stage))
def test_broad_customer_text_never_names_an_account(templates, incident, stage_facts, stage) -> None:
    text = _render(templates, incident, stage, AudienceKind.CUSTOMER, stage_facts[stage])
    for name in ACCOUNTS:
        assert name.split()[0] not in text
    assert check_draft(text, stage, named_accounts=ACCOUNTS).findings == ()


@pytest.mark.parametrize("stage", list(Stage))
def test_named_account_text_names_its_account_only(templates, incident, stage_facts, stage) -> None:
    text = _render(templates, incident, stage, AudienceKind.NAMED_ACCOUNT, stage_facts[stage], "Acme Corp")
    assert text.startswith("Dear Acme Corp team,")
    assert "Globex" not in text
    flagged = check_draft(text, stage, named_accounts=ACCOUNTS, may_name=["Globex Corporation"]).findings
    assert {finding.match for finding in flagged} == {"Acme Corp"}  # it would be flagged anywhere else


def test_account_must_match_the_audience(templates, incident, stage_facts) -> None:
    facts = stage_facts[Stage.INITIAL]
    with pytest.raises(ValueError):
        _render(templates, incident, Stage.INITIAL, AudienceKind.NAMED_ACCOUNT, facts)
    with pytest.raises(ValueError):
        _render(templates, incident, Stage.INITIAL, AudienceKind.CUSTOMER, facts, "Acme Corp")


@pytest.mark.parametrize("stage", [Stage.INITIAL, Stage.UPDATE])
@pytest.mark.parametrize(("kind", "account"), AUDIENCES)
def test_empty_eta_says_there_is_no_estimate_yet(
    templates, incident, stage_facts, stage, kind, account
) -> None:
    text = _render(templates, incident, stage, kind, replace(stage_facts[stage], eta="  "), account)
    assert NO_ESTIMATE in text
    assert check_draft(NO_ESTIMATE, stage).required["eta"]  # recognised as prose, not only as a heading


def test_given_eta_is_used(templates, incident, stage_facts) -> None:
    facts = replace(stage_facts[Stage.UPDATE], eta="We expect full recovery by 11:30 UTC.")
    text = _render(templates, incident, Stage.UPDATE, AudienceKind.CUSTOMER, facts)
    assert "We expect full recovery by 11:30 UTC." in text
    assert NO_ESTIMATE not in text


@pytest.mark.parametrize("stage", list(Stage))
@pytest.mark.parametrize(("kind", "account"), AUDIENCES)
def test_user_text_is_verbatim_never_evaluated(
    templates, incident, stage_facts, stage, kind, account
) -> None:
    hostile = "<!channel> total {{ 7*7 }} {% if true %}x{% endif %} {# note #}"
    facts = replace(stage_facts[stage], **dict.fromkeys(_TEXT_FIELDS, hostile))
    text = _render(templates, incident, stage, kind, facts, account)
    assert hostile in text
    assert "49" not in text
    kinds = {f.kind for f in check_draft(text, stage).findings}
    assert "mention" in kinds  # verbatim, so the checks (and the Slack escaping) still see it


_TEXT_FIELDS = ("headline", "what_happened", "impact", "actions_taken", "root_cause", "resolution")


def test_next_update_line(templates, incident, stage_facts) -> None:
    facts = stage_facts[Stage.UPDATE]
    text = _render(templates, incident, Stage.UPDATE, AudienceKind.CUSTOMER, facts)
    assert "**Next update:** by 10:50 UTC" in text
    unscheduled = _render(
        templates, incident, Stage.UPDATE, AudienceKind.CUSTOMER, replace(facts, next_update_at=None)
    )
    assert "Next update:" not in unscheduled
    assert check_draft(unscheduled, Stage.UPDATE).missing == ("next_update_time",)


def test_empty_fields_are_left_out_and_reported_missing(templates, incident, stage_facts) -> None:
    facts = replace(stage_facts[Stage.POST_INCIDENT], root_cause="", preventive_measures="")
    text = _render(templates, incident, Stage.POST_INCIDENT, AudienceKind.CUSTOMER, facts)
    assert "Why it happened" not in text
    assert check_draft(text, Stage.POST_INCIDENT).missing == ("root_cause", "preventive_measures")


def test_override_directory_replaces_the_shipped_template(tmp_path: Path, incident, stage_facts) -> None:
    (tmp_path / "customer").mkdir()
    (tmp_path / "customer" / "update.md.j2").write_text(
        "{{ ref }} ({{ audience }}): {{ facts.headline }}. ETA: {{ eta_text }} Next: {{ next_update }}\n"
    )
    templates = Templates(override_dir=tmp_path)
    text = _render(templates, incident, Stage.UPDATE, AudienceKind.CUSTOMER, stage_facts[Stage.UPDATE])
    assert text == f"INC-42 (customer): Checkout errors in EU. ETA: {NO_ESTIMATE} Next: 10:50 UTC"
    shipped = _render(templates, incident, Stage.INITIAL, AudienceKind.CUSTOMER, stage_facts[Stage.INITIAL])
    assert shipped.startswith("**Checkout errors in EU**")  # templates not overridden stay shipped


def test_override_can_reuse_shipped_partials(tmp_path: Path, incident, stage_facts) -> None:
    (tmp_path / "customer").mkdir()
    (tmp_path / "customer" / "update.md.j2").write_text(
        '{% include "customer/_greeting.md.j2" %}\nStill on it.\n{% include "customer/_footer.md.j2" %}\n'
    )
    templates = Templates(override_dir=tmp_path)
    facts = stage_facts[Stage.UPDATE]
    text = _render(templates, incident, Stage.UPDATE, AudienceKind.NAMED_ACCOUNT, facts, "Acme Corp")
    assert text.startswith("Dear Acme Corp team,")
    assert text.endswith("_Reference: INC-42_")
