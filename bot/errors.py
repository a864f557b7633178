"""Domain errors. The core raises them; one handler per platform turns them into words."""

from __future__ import annotations


class DomainError(Exception):
    """An expected refusal whose message is written for the user who caused it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotAllowed(DomainError):
    pass


class NotFound(DomainError):
    pass


class Conflict(DomainError):
    pass


class Invalid(DomainError):
    """Form input that cannot be accepted; `fields` maps a field to its message."""

    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {text}" for name, text in fields.items()))
        self.fields = fields


class PlatformError(Exception):
    """A chat platform call that failed for good (after retries).

    `fix` tells a human what to change (e.g. which scope to add); it never holds secrets.
    """

    def __init__(self, step: str, code: str, fix: str = "") -> None:
        super().__init__(f"{step} failed: {code}")
        self.step = step
        self.code = code
        self.fix = fix


class NameTaken(PlatformError):
    pass


def apology(reference: str) -> str:
    """What a user reads when something failed on our side (logged under `reference`)."""
    return (
        f"Something went wrong on our side (reference `{reference}`). "
        "Nothing you entered is lost; try again or tell your incident-comms admin."
    )
