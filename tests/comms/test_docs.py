"""docs/templates.md stays true: its variables are the context, its example override works."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

from bot.chat.templating import Templates
from bot.comms.checks import check_draft
from bot.comms.drafting import DraftFacts, render_draft, template_context
from bot.enums import AudienceKind, Stage

DOC = Path(__file__).resolve().parents[2] / "docs" / "templates.md"


def _table_names(heading: str) -> set[str]:
    """First-column names of the table under ``heading`` (up to the next heading)."""
    text = DOC.read_text("utf-8")
    start = text.index(heading)
    end = text.find("\n#", start + 1)
    return set(re.findall(r"^\| `(\w+)` \|", text[start : end if end != -1 else None], re.M))


def test_documented_variables_are_the_context(incident, stage_facts) -> None:
    facts = stage_facts[Stage.UPDATE]
    context = template_context(incident, Stage.UPDATE, AudienceKind.CUSTOMER, facts, reference="X")
    assert _table_names("## Context variables") == set(context)
    assert _table_names("### `facts` fields") == {field.name for field in fields(DraftFacts)}


def test_documented_override_example_renders_a_complete_update(tmp_path: Path, incident, stage_facts) -> None:
    example = re.search(r"```jinja\n(.*?)```", DOC.read_text("utf-8"), re.S).group(1)
    (tmp_path / "customer").mkdir()
    (tmp_path / "customer" / "update.md.j2").write_text(example)
    text = render_draft(
        Templates(override_dir=tmp_path), incident, Stage.UPDATE, AudienceKind.NAMED_ACCOUNT,
        stage_facts[Stage.UPDATE], reference="INC-42", account="Acme Corp",
    )  # fmt: skip
    assert text.startswith("Dear Acme Corp team,")
    report = check_draft(text, Stage.UPDATE, named_accounts=incident.named_accounts, may_name=["Acme Corp"])
    assert report.missing == () and report.findings == ()
