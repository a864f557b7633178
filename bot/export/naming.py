"""A plan as people read it: every person by name, the owner's id kept beside it for JSON."""

from __future__ import annotations

from dataclasses import replace

from bot.access.names import Names, with_names
from bot.chat.cards import MENTION_PATTERN
from bot.export.data import Plan, Row


async def named(plan: Plan, names: Names) -> Plan:
    """`plan` with the mention markers in its cells replaced by names and each owner named."""
    texts = [plan.notice] + [t for s in plan.sections for r in s.rows for t in (r.details, r.notes, r.text)]
    marked = (m.group(2) for text in texts for m in MENTION_PATTERN.finditer(text) if not m.group(1))
    owners = [plan.metadata.owner] + [r.owner for s in plan.sections for r in s.rows]
    table = await names.table([*owners, *marked])
    metadata = replace(plan.metadata, owner_name=table.get(plan.metadata.owner, plan.metadata.owner))
    sections = tuple(
        replace(section, rows=tuple(_named_row(row, table) for row in section.rows))
        for section in plan.sections
    )
    return replace(plan, metadata=metadata, sections=sections)


def _named_row(row: Row, table: dict[str, str]) -> Row:
    return replace(
        row,
        details=with_names(row.details, table),
        notes=with_names(row.notes, table),
        text=with_names(row.text, table),
        owner_name=table.get(row.owner, row.owner),
    )
