"""The rule file: shipped word lists that a policy extends or replaces; --explain (issue 20)."""

import io
import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.comms import lint_cli
from bot.comms.blame import find_blame
from bot.comms.vocabulary import SHIPPED_RULES, vocabulary_for
from bot.policy.check_rules import VOCABULARY_KEYS, CheckRules, read_rule_file


def test_the_shipped_rule_file_has_every_list() -> None:
    assert set(read_rule_file(SHIPPED_RULES)["vocabulary"]) == set(VOCABULARY_KEYS)
    assert "support" in vocabulary_for()["role_mailboxes"]


def test_policy_vocabulary_extends_the_shipped_lists() -> None:
    text = "Acme Hosting nuked the cluster."
    assert find_blame(text) == []
    assert len(find_blame(text, CheckRules(vocabulary={"fault_verbs": ["nuked"]}))) == 1


def test_a_rule_file_extends_and_replaces(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text('[vocabulary]\nhedges = ["gut feeling"]\n[replace]\nrole_mailboxes = ["desk"]\n')
    vocabulary = vocabulary_for(CheckRules(rules_file=str(path)))
    assert "gut feeling" in vocabulary["hedges"] and "probably" in vocabulary["hedges"]
    assert vocabulary["role_mailboxes"] == ("desk",)


def test_the_older_policy_keys_still_work() -> None:
    rules = CheckRules(
        role_mailboxes=["desk"], allowed_names=["Acme"], extra_speculation_phrases=["gut feeling"]
    )
    vocabulary = vocabulary_for(rules)
    assert vocabulary["role_mailboxes"] == ("desk",)
    assert "acme" in vocabulary["technology_names"] and "gut feeling" in vocabulary["hedges"]


@pytest.mark.parametrize(
    ("content", "error"),
    [
        ("[vocabulary]\nhedgez = []\n", "hedgez"),
        ("[words]\n", "unknown table"),
        ("[vocabulary\n", "cannot be read"),
    ],
)
def test_a_bad_rule_file_is_refused_naming_the_problem(tmp_path: Path, content: str, error: str) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(content)
    with pytest.raises(ValidationError, match=error):
        CheckRules(rules_file=str(path))


def test_unknown_vocabulary_lists_and_regions_are_refused() -> None:
    with pytest.raises(ValidationError, match="fault_verb"):
        CheckRules(vocabulary={"fault_verb": ["x"]})
    with pytest.raises(ValidationError, match="region code"):
        CheckRules(phone_regions=["Germany"])


def _lint(*argv: str, stdin: str) -> str:
    out = io.StringIO()
    lint_cli.run(list(argv), stdin=io.StringIO(stdin), stdout=out)
    return out.getvalue()


def test_explain_names_the_rule_the_words_and_why(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INCIDENT_COMMS_CONFIG", raising=False)
    text = "Our engineer Dana made a mistake. Customers cannot log in."
    out = _lint("-", "--stage", "update", "--explain", stdin=text)
    assert 'blame.fault_verb 1:14 "Dana made a mistake"' in out
    assert "pii.name.role_before" in out and "allowed_person_names" in out
    assert 'Impact (who is affected and how): found in "Customers cannot log in."' in out


def test_explain_in_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INCIDENT_COMMS_CONFIG", raising=False)
    out = _lint("-", "--stage", "update", "--format", "json", "--explain", stdin="This is reportedly DNS.")
    document = json.loads(out)
    assert document["explain"]["findings"][0]["rule"] == "speculation.hedges"
    assert document["explain"]["required"]["next_update_time"] is None
