"""axe-core, the accessibility checker, from the npm registry: a pinned version, fetched once with
`npm pack` into a cache directory ($AXE_CACHE, default ~/.cache/incident-comms/axe-core), then
injected into pages Playwright drives. Without npm or the registry the test skips (CI fails)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

AXE_VERSION = "4.14.1"
SEVERE = ("serious", "critical")


def axe_source() -> str:
    cache = Path(os.environ.get("AXE_CACHE") or Path.home() / ".cache" / "incident-comms" / "axe-core")
    script = cache / f"axe-{AXE_VERSION}.min.js"
    if not script.exists():
        _fetch(cache, script)
    return script.read_text(encoding="utf-8")


def _fetch(cache: Path, script: Path) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    npm = shutil.which("npm")
    tarball = cache / f"axe-core-{AXE_VERSION}.tgz"
    if npm and not tarball.exists():
        command = [npm, "pack", f"axe-core@{AXE_VERSION}", "--pack-destination", str(cache), "--silent"]
        subprocess.run(command, check=False, capture_output=True, timeout=120)
    if not tarball.exists():
        message = f"axe-core {AXE_VERSION} could not be fetched with npm pack (npm and its registry needed)"
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    with tarfile.open(tarball) as archive:
        member = archive.extractfile("package/axe.min.js")
        assert member is not None
        script.write_bytes(member.read())


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
