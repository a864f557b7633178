"""A real `incident-comms serve` process against the Slack emulator, for crash and shutdown tests."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import aiohttp

from emulator.driver import SIGNING_SECRET, SlackDriver
from storage.database_url import normalise_database_url
from storage.db import Database

REPO = Path(__file__).resolve().parents[1]


def database_at(url: str) -> Database:
    """The database a `serve` process works on, opened from the test (dispose it after)."""
    return Database(normalise_database_url(url))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Serve:
    """`serve` on a free port; its log (stderr) goes to a file the test reads afterwards."""

    def __init__(self, tmp_path: Path, slack: Any, database_url: str, **env: str) -> None:
        self.port = free_port()
        self.log_path = tmp_path / f"serve-{self.port}.log"
        self.env = {
            **os.environ,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_BOT_TOKEN": slack.bot_token,
            "SLACK_API_URL": slack.api_url,
            "DATABASE_URL": database_url,
            "PORT": str(self.port),
            "METRICS_PORT": "0",
            "LOG_LEVEL": "INFO",
            **env,
        }
        self.slack = slack
        self.process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    async def start(self) -> Serve:
        with self.log_path.open("a") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "handlers.cli", "serve"], env=self.env, cwd=REPO, stderr=log
            )
        deadline = time.monotonic() + 30
        async with aiohttp.ClientSession() as session:
            while True:
                try:
                    async with session.get(self.base_url + "healthz") as answer:
                        if answer.status == 200:
                            return self
                except aiohttp.ClientConnectionError:
                    if self.process.poll() is not None or time.monotonic() > deadline:
                        raise AssertionError(f"serve did not start:\n{self.log()}") from None
                await asyncio.sleep(0.05)

    def driver(self) -> SlackDriver:
        return SlackDriver(self.base_url, self.slack, settle=lambda: asyncio.sleep(0))

    async def stop(self, sig: int = signal.SIGTERM, timeout: float = 30) -> tuple[int, float]:
        """Send `sig` and wait for the exit: (exit code, seconds it took)."""
        assert self.process is not None
        began = time.monotonic()
        self.process.send_signal(sig)
        while self.process.poll() is None:
            if time.monotonic() - began > timeout:
                self.process.kill()
                raise AssertionError(f"serve still running {timeout} s after {sig}:\n{self.log()}")
            await asyncio.sleep(0.01)
        return self.process.returncode, time.monotonic() - began

    def log(self) -> str:
        return self.log_path.read_text() if self.log_path.exists() else ""

    def close(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
