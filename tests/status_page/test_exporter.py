"""statuspage-prometheus-exporter, a Statuspage client from the ecosystem, reads our summary.json
as it reads Atlassian's: the indicator, every component with its status, the live incident with
the components it affects. Fetched once with `pip download` (pinned, no dependencies: it needs
only requests and prometheus_client, which the app has) into a cache; skipped without the index."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import BOB
from tests.slack.flows import declare
from tests.status_page.helpers import approval_cards, channels  # noqa: F401
from tests.status_page.test_components import COMPONENTS, policy  # noqa: F401

EXPORTER = ("statuspage-prometheus-exporter", "2.6.0")
CHECK = """import json, sys
from statuspage_prometheus_exporter.service_checker import check_status_page_service
print(json.dumps(check_status_page_service("ours", {"url": sys.argv[1]})))"""


@pytest.fixture
def database(sqlite_template):
    return sqlite_template


def exporter_path() -> Path:
    cache = Path(os.environ.get("PYPI_ASSETS") or Path.home() / ".cache" / "incident-comms" / "pypi")
    name, version = EXPORTER
    unpacked = cache / f"{name}-{version}"
    if not unpacked.exists():
        command = [sys.executable, "-m", "pip", "download", f"{name}=={version}", "--no-deps", "-q", "-d"]
        subprocess.run([*command, str(cache)], check=False, capture_output=True, timeout=120)
        wheels = list(cache.glob(f"{name.replace('-', '_')}-{version}-*.whl"))
        if not wheels:
            message = f"{name} {version} could not be fetched with pip download"
            if os.environ.get("REQUIRE_BROWSER"):  # set by .ci/run: CI fetches the page's tools
                pytest.fail(message)
            pytest.skip(message)
        with zipfile.ZipFile(wheels[0]) as wheel:
            wheel.extractall(unpacked)
    return unpacked


async def test_a_statuspage_exporter_reads_our_summary(bot, slack, tmp_path):
    path = exporter_path()
    await declare(bot, "API errors", components=["api"], component_status="major_outage")
    await bot.click(approval_cards(slack)[-1], "draft_approve", user=BOB)

    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", CHECK, bot.base_url.rstrip("/") + "/api/v2/summary.json",
        cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(path)},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    result = json.loads(out.decode().strip().splitlines()[-1])

    assert result["success"] and result["raw_status"] == "major", err.decode()[-2000:]
    components = {c["name"]: c["status"] for c in result["component_metadata"]}
    assert components["Public API"] == "major_outage" and components["Card payments"] == "operational"
    assert {c["name"] for c in COMPONENTS.values()} | {"Platform"} == set(components)
    [incident] = result["incident_metadata"]
    assert "Public API" in str(incident)
