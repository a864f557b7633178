"""manifest.yml is a valid Slack app manifest that matches what the app registers."""

from __future__ import annotations

import yaml
from jsonschema import Draft7Validator
from jsonschema.exceptions import best_match

from tests.specs import REPO, load_spec

MANIFEST = yaml.safe_load((REPO / "manifest.yml").read_text())


def test_manifest_basics_hold_without_the_shared_specs():
    assert MANIFEST["features"]["slash_commands"][0]["command"] == "/incident"
    assert MANIFEST["features"]["app_home"]["home_tab_enabled"] is True
    for url in (
        MANIFEST["settings"]["interactivity"]["request_url"],
        MANIFEST["settings"]["event_subscriptions"]["request_url"],
        MANIFEST["features"]["slash_commands"][0]["url"],
    ):
        assert url.endswith("/slack/events")


def test_manifest_validates_against_the_public_schema_when_present():
    schema = load_spec("slack-app-manifest.schema.json")
    if schema is None:  # the schema lives outside the repo; without it only the basics above are checked
        return
    error = best_match(Draft7Validator(schema).iter_errors(MANIFEST))
    assert error is None, f"{list(error.path)}: {error.message}"


def test_the_bot_scopes_cover_every_event_subscribed():
    scopes = set(MANIFEST["oauth_config"]["scopes"]["bot"])
    assert "app_mentions:read" in scopes and "commands" in scopes
