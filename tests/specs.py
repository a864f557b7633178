"""Where the shared public schemas are (outside the repository); None when absent."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


def specs_dir() -> Path | None:
    candidate = Path(os.environ.get("SLACK_SPECS_DIR") or REPO.parent / "shared" / "specs")
    return candidate if candidate.is_dir() else None


def load_spec(name: str) -> dict[str, Any] | None:
    folder = specs_dir()
    if folder is None or not (folder / name).exists():
        return None
    return json.loads((folder / name).read_text())
