"""`incident-comms teams-package` writes an app package whose manifest Teams accepts."""

from __future__ import annotations

import json
import zipfile

import jsonschema

from handlers.cli import main
from tests.specs import load_spec

BOT_ID = "6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f"


def test_the_package_holds_a_valid_manifest_and_both_icons(tmp_path, capsys):
    output = tmp_path / "app.zip"

    code = main(
        ["teams-package", "--bot-id", BOT_ID, "--website-url", "https://example.com", "--output", str(output)]
    )

    assert code == 0 and output.exists()
    with zipfile.ZipFile(output) as archive:
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(archive.read("manifest.json"))
        assert archive.read("color.png").startswith(b"\x89PNG")
    assert manifest["bots"][0]["botId"] == BOT_ID
    assert {c["title"] for c in manifest["bots"][0]["commandLists"][0]["commands"]} >= {"incident declare"}
    if (schema := load_spec("teams-app-manifest.schema.json")) is not None:
        jsonschema.Draft4Validator(schema).validate(manifest)


def test_without_a_bot_id_it_says_what_is_missing(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("TEAMS_CLIENT_ID", raising=False)

    code = main(
        ["teams-package", "--website-url", "https://example.com", "--output", str(tmp_path / "a.zip")]
    )

    assert code == 2 and "TEAMS_CLIENT_ID" in capsys.readouterr().err
