"""The Teams fixtures, for tests that act on one incident from both platforms."""

from tests.teams.conftest import connector, teams  # noqa: F401  (fixtures)
