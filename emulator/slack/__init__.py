"""Slack Web API emulator (real aiohttp server) used by ``incident-comms demo`` and the end-to-end tests."""

from .emulator import SlackEmulator
from .models import Call, Channel, Ephemeral, File, Message, OpenedView

__all__ = ["Call", "Channel", "Ephemeral", "File", "Message", "OpenedView", "SlackEmulator"]
