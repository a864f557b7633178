"""A local fake of the Bot Connector service Teams bots post to (see `connector.py`)."""

from emulator.teams.connector import FakeConnector, Posted

__all__ = ["FakeConnector", "Posted"]
