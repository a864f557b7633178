"""Jinja2 rendering of message templates: shipped ones, optionally overridden from a directory."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined

from bot.chat.cards import command_for, mention
from bot.chat.links import link
from bot.durations import format_duration


def _utc(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else "—"


def _hour_minute(moment: datetime) -> str:
    return moment.strftime("%H:%M UTC")


def _date(moment: datetime | None) -> str:
    return moment.strftime("%a %d %b %Y") if moment else "—"


def _duration(value: timedelta) -> str:
    return format_duration(value)


class Templates:
    """Renders `message_templates/<name>`; a file of the same name in `override_dir` wins."""

    def __init__(self, override_dir: Path | None = None) -> None:
        loaders = [FileSystemLoader(str(override_dir))] if override_dir else []
        loaders.append(PackageLoader("message_templates", ""))
        self.env = Environment(
            loader=ChoiceLoader(loaders),
            undefined=StrictUndefined,
            autoescape=False,  # output is neutral Markdown; adapters escape for their platform
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
        )
        self.env.filters.update(
            command=command_for, mention=mention, utc=_utc, hm=_hour_minute, date=_date, duration=_duration
        )
        self.env.globals["link"] = link  # the only way a template writes a live link (bot.chat.links)

    def markup_environment(self, **filters: Any) -> Environment:
        """The same templates with autoescape on, for HTML and XML (status page, feed)."""
        env = Environment(
            loader=self.env.loader,
            undefined=StrictUndefined,
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        env.filters.update(self.env.filters)
        env.filters.update(filters)
        return env

    def render(self, name: str, **context: Any) -> str:
        return self.env.get_template(name).render(**context).strip()
