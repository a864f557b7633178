"""Four eyes: no author of a draft approves it, and one person counts once towards the quorum.

Who may approve at all is the permission check (`bot/access`); this module adds what only
a draft knows. Authors and approvers are compared as people (`bot/access/people.py`), so
one human's Slack and Teams ids are one author and one approval.
"""

from __future__ import annotations

from bot.access.people import People, Person

OWN_DRAFT = "Authors cannot approve their own draft; ask another approver."
BLOCKED = "This draft has blocking findings. Edit it (or redact personal data) first."


async def refusal(approver: Person, *, authors: frozenset[str], blocking: bool, people: People) -> str | None:
    """Why `approver` may not approve a version written by `authors`, or None. `authors`:
    everyone who wrote the version being approved or any version before it."""
    for author in sorted(authors):
        if await people.is_(approver, author):
            return OWN_DRAFT
    return BLOCKED if blocking else None
