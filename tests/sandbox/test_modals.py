"""Each person's modal stack follows the app's answers as the Slack client does."""

from __future__ import annotations

from emulator.slack import SlackEmulator
from emulator.slack.models import OpenedView
from handlers.sandbox.modals import Modals

FORM = {"type": "modal", "title": {"type": "plain_text", "text": "Form"}, "blocks": []}


def _opened(slack: SlackEmulator, view_id: str, previous: str | None = None) -> None:
    stored = {**FORM, "id": view_id, "hash": "h1", "previous_view_id": previous}
    slack.workspace.views[view_id] = stored
    slack.workspace.opened_views.append(OpenedView(view_id, None, None, stored))


def test_open_push_errors_update_and_close():
    slack, modals = SlackEmulator(), Modals()
    _opened(slack, "V1")
    modals.adopt("UALICE", slack, 0)
    assert modals.top("UALICE", slack).view["id"] == "V1" and modals.top("UBOB", slack) is None

    modals.answer("UALICE", {"response_action": "errors", "errors": {"title": "Too long"}})
    assert modals.top("UALICE", slack).errors == {"title": "Too long"}
    slack.workspace.views["V1"] = {**slack.workspace.views["V1"], "hash": "h2"}  # views.update by the app
    assert modals.top("UALICE", slack).view["hash"] == "h2" and not modals.top("UALICE", slack).errors

    _opened(slack, "V2", previous="V1")  # views.push
    modals.adopt("UALICE", slack, 1)
    assert modals.top("UALICE", slack).view["id"] == "V2"
    modals.answer("UALICE", None)  # a plain ack closes the view on top
    assert modals.top("UALICE", slack).view["id"] == "V1"

    modals.answer("UALICE", {"response_action": "update", "view": {**FORM, "title": {"text": "Next"}}})
    assert modals.top("UALICE", slack).view["title"] == {"text": "Next"}
    modals.answer("UALICE", {"response_action": "push", "view": FORM})
    modals.answer("UALICE", {"response_action": "clear"})
    assert modals.top("UALICE", slack) is None
