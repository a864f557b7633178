"""What the command line's document commands (export, report) share: where a document goes, a refusal."""

from __future__ import annotations

import sys
from pathlib import Path


def emit(document: str, output: Path | None) -> int:
    """Write `document` to `output`, or to stdout without one; exit status 0."""
    if output:
        output.write_text(document, encoding="utf-8")
    else:
        sys.stdout.write(document)
    return 0


def refuse(message: str) -> int:
    """The reason on stderr; exit status 2."""
    print(f"incident-comms: {message}", file=sys.stderr)
    return 2
