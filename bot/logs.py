"""Logging set-up with a filter that masks anything shaped like a Slack token or secret."""

from __future__ import annotations

import logging
import re

_SECRETS = re.compile(r"\b(xox[abposr]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+)|(://[^:/@\s]+:)[^@\s]+@")


def mask(text: str) -> str:
    return _SECRETS.sub(lambda m: "xox…[masked]" if m.group(1) else f"{m.group(2)}…[masked]@", text)


class MaskSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask(record.getMessage())
        record.args = None
        return True


def configure(level: str = "INFO") -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(MaskSecrets())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
