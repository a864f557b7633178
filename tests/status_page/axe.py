"""Browser-side tools from the npm registry, pinned: axe-core (the accessibility checker) and
Atlassian's Statuspage widget. Fetched once with `npm pack` into a cache directory ($NPM_ASSETS,
default ~/.cache/incident-comms/npm); without npm or the registry a test skips (CI fails)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

AXE = ("axe-core", "4.14.1", "package/axe.min.js")
STATUS_WIDGET = ("@statuspage/status-widget", "1.0.5", "package/dist/index.js")
SEVERE = ("serious", "critical")


def npm_file(package: str, version: str, member: str) -> str:
    """One file of a pinned npm package, as text."""
    cache = Path(os.environ.get("NPM_ASSETS") or Path.home() / ".cache" / "incident-comms" / "npm")
    stem = f"{package.lstrip('@').replace('/', '-')}-{version}"
    extracted = cache / stem / member
    if not extracted.exists():
        cache.mkdir(parents=True, exist_ok=True)
        tarball = cache / f"{stem}.tgz"
        npm = shutil.which("npm")
        if npm and not tarball.exists():
            command = [npm, "pack", f"{package}@{version}", "--pack-destination", str(cache), "--silent"]
            subprocess.run(command, check=False, capture_output=True, timeout=120)
        if not tarball.exists():
            message = f"{package} {version} could not be fetched with npm pack (npm and its registry needed)"
            if os.environ.get("REQUIRE_BROWSER"):
                pytest.fail(message)
            pytest.skip(message)
        with tarfile.open(tarball) as archive:
            data = archive.extractfile(member)
            assert data is not None, member
            extracted.parent.mkdir(parents=True, exist_ok=True)
            extracted.write_bytes(data.read())
    return extracted.read_text(encoding="utf-8")


def axe_source() -> str:
    return npm_file(*AXE)


async def severe_violations(page, source: str, context: str = "document", rules: list[str] | None = None):
    """axe-core's serious and critical violations on the page as it is now ({rule: [targets]})."""
    if not await page.evaluate("typeof window.axe !== 'undefined'"):
        await page.add_script_tag(content=source)
    options = {"resultTypes": ["violations"], **({"runOnly": rules} if rules else {})}
    results = await page.evaluate(
        "([context, options]) => axe.run(context === 'document' ? document : context, options)",
        [context, options],
    )
    return {
        v["id"]: [n["target"] for n in v["nodes"]] for v in results["violations"] if v["impact"] in SEVERE
    }
