import pytest

from bot.chat.cards import mention
from bot.errors import Invalid
from bot.incidents.forms import parse_declare
from bot.policy.model import load_policy

POLICY = load_policy()
GOOD = {
    "title": "API down",
    "what_happened": "5xx",
    "customer_impact": "No API",
    "severity": "SEV1",
    "segments": ["EU region"],
    "visibility": "public",
}


def test_defaults_roles_to_the_reporter():
    form = parse_declare(GOOD, POLICY, "UREP")
    assert form.commander_id == form.comms_owner_id == "UREP"


def test_named_accounts_are_split_deduplicated_and_trimmed():
    form = parse_declare({**GOOD, "named_accounts": "Acme Corp, acme corp\n  Globex ;Initech"}, POLICY, "U")
    assert form.named_accounts == ["Acme Corp", "Globex", "Initech"]


def test_segments_outside_the_policy_do_not_count():
    with pytest.raises(Invalid) as error:
        parse_declare({**GOOD, "segments": ["Martians"]}, POLICY, "U")
    assert set(error.value.fields) == {"segments"}


def test_mention_markers_typed_by_users_are_removed():
    form = parse_declare({**GOOD, "title": f"Hi {mention('UBOSS')}"}, POLICY, "U")
    assert form.title == "Hi UBOSS"


def test_too_many_named_accounts_are_refused():
    with pytest.raises(Invalid) as error:
        parse_declare({**GOOD, "named_accounts": ",".join(f"A{i}" for i in range(21))}, POLICY, "U")
    assert "at most 20" in error.value.fields["named_accounts"]
