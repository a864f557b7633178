"""What one process does: answer chat requests (`web`), carry out the work (`worker`), or both (`all`).

A `web` process verifies, parses, records each request's intent in the database and answers;
for a declaration the intent is the incident itself (`setup_complete` false): a `worker` claims
it (bot/services/intents.py::set_up_handed_off, `UPDATE … RETURNING` with `SKIP LOCKED`), opens
the channel and drafts the initial notice. A web process runs no scheduler: reminders, the
outbox sweep, e-mail and webhooks, digests and archiving are the workers'. What must answer the
person who clicked stays in the web process right after the ack: opening a form (`views.open`
needs the trigger within 3 s), ephemeral answers, the approval card, and the delivery of an
approved message (its outbox entries are written in the approval's transaction, so a worker's
sweep takes over any the web process leaves). `all` (the default) is one process doing both,
the embedded default on SQLite; `web` and `worker` share one PostgreSQL and run side by side
in any number. Do not run `all` next to workers: both would set the same incidents up.

Known gaps: a Slack reply URL is not stored, so a worker tells the reporter
how the set-up went by DM instead of in the conversation they declared from; `serve --teams-local`
always runs as `all`.
"""

from __future__ import annotations

from enum import StrEnum

ROLE_ENV = "PROCESS_ROLE"


class Role(StrEnum):
    WEB = "web"
    WORKER = "worker"
    ALL = "all"

    @property
    def answers(self) -> bool:
        """Serves /slack/events, /api/messages, Socket Mode and the status page."""
        return self is not Role.WORKER

    @property
    def works(self) -> bool:
        """Runs the scheduler's sweeps and resumes what a crash left owed."""
        return self is not Role.WEB

    @property
    def hands_off(self) -> bool:
        """Leaves set-ups to the workers, which claim them from the database."""
        return self is Role.WEB

    @property
    def claims_set_ups(self) -> bool:
        """Claims set-ups as soon as they are recorded (the web processes run none)."""
        return self is Role.WORKER


def refusal(role: Role, database_url: str) -> str | None:
    """Why `role` cannot run on this database (None: it can): web and worker must share PostgreSQL."""
    if role is Role.ALL or not database_url.startswith("sqlite"):
        return None
    return (
        f"--role {role} needs a database shared with the other processes: set DATABASE_URL to "
        "PostgreSQL (postgresql+asyncpg://…); SQLite works with --role all only"
    )
