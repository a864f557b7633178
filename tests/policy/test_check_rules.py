import pytest
from pydantic import ValidationError

from bot.policy.check_rules import CheckRules


def test_defaults_block_confidential_and_personal_data_and_warn_on_wording() -> None:
    rules = CheckRules()
    assert (rules.named_account, rules.mention, rules.pii, rules.length) == ("block",) * 4
    assert (rules.speculation, rules.blame, rules.missing_required, rules.tense) == ("warn",) * 4
    assert rules.max_length == 3000
    assert rules.our_domains == []


def test_rejects_unknown_keys() -> None:
    with pytest.raises(ValidationError):
        CheckRules.model_validate({"speculaton": "warn"})


def test_rejects_unknown_severities() -> None:
    with pytest.raises(ValidationError):
        CheckRules(pii="maybe")  # type: ignore[arg-type]


def test_normalises_our_domains() -> None:
    assert CheckRules(our_domains=[" @OurCo.example ", ""]).our_domains == ["ourco.example"]


def test_severity_for_reads_the_kind_s_field() -> None:
    assert CheckRules(blame="block").severity_for("blame") == "block"
