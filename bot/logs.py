"""Logging set-up that masks secrets in every line it writes, tracebacks and stacks included.

Two kinds of secret are masked: the values the process holds (registered once at start-up by
the composition root, `handlers/app.py::create_app`, from the settings and the policy's webhook
secrets) and anything shaped like one: Slack tokens (`xox*-`, `xapp-`), `Bearer <token>`,
the value of an `Authorization:` header and the password in a URL. Every pattern is linear in
the text's length (possessive quantifiers, no nested repetition), so a hostile log line cannot
stall the loop.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable
from typing import TextIO
from urllib.parse import quote

MASK = "…[masked]"
MIN_SECRET_LENGTH = 6  # a shorter value would mask ordinary words; no real credential is that short
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

_SHAPES = re.compile(
    r"\b(?P<slack>xox[abposr]-|xapp-)[A-Za-z0-9-]++"
    r"|(?P<url>://[^:/@\s]++:)[^@\s/]++@"
    r"|(?P<auth>\bauthorization['\"]?+\s*+[:=]\s*+['\"]?+)[^\s'\",}][^\r\n'\",}]*+"
    r"|(?P<bearer>\bbearer\s++)[A-Za-z0-9._~+/=-]++",
    re.IGNORECASE,
)
_secrets: list[str] = []  # longest first, so a secret containing another is masked whole


def register_secrets(values: Iterable[str | None]) -> None:
    """Add the values to mask wherever they appear (and their URL-encoded forms)."""
    found = set(_secrets)
    for value in values:
        if value and len(value) >= MIN_SECRET_LENGTH:
            found.update({value, quote(value, safe="")})
    _secrets[:] = sorted(found, key=len, reverse=True)


def _shape(match: re.Match[str]) -> str:
    if match.group("slack"):
        return f"{match.group('slack').lower()}{MASK}"
    if match.group("url"):
        return f"{match.group('url')}{MASK}@"
    return f"{match.group('auth') or match.group('bearer')}{MASK}"


def mask(text: str) -> str:
    """`text` with every registered secret and every token-shaped string masked."""
    for secret in _secrets:
        if secret in text:
            text = text.replace(secret, MASK)
    return _SHAPES.sub(_shape, text)


def _message(record: logging.LogRecord) -> str:
    try:
        return record.getMessage()
    except Exception:  # bad %-args: logging would print them unmasked through handleError
        return f"{record.msg} {record.args!r}"


class MaskSecrets(logging.Filter):
    """Masks the record itself (message, traceback, stack), so later handlers see it masked too."""

    def __init__(self) -> None:
        super().__init__()
        self._formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask(_message(record))
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
        if record.stack_info:
            record.stack_info = mask(record.stack_info)
        return True


class MaskingFormatter(logging.Formatter):
    """Masks the whole formatted line: nothing a format field adds escapes the mask."""

    def format(self, record: logging.LogRecord) -> str:
        return mask(super().format(record))


def configure(level: str = "INFO", stream: TextIO | None = None) -> logging.Handler:
    """Send every log record through one masking handler on `stream` (default stderr)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(MaskingFormatter(FORMAT))
    handler.addFilter(MaskSecrets())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("apscheduler").setLevel(max(root.level, logging.WARNING))  # a line per sweep run
    return handler
