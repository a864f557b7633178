from bot.comms.confidential import find_named_accounts


def flagged(text: str, accounts: list[str], may_name: list[str] | None = None) -> list[str]:
    return [text[hit.start : hit.end] for hit in find_named_accounts(text, accounts, may_name or [])]


def test_flags_a_named_account_case_insensitively() -> None:
    assert flagged("first reported by GLOBEX CORPORATION today", ["Globex Corporation"]) == [
        "GLOBEX CORPORATION"
    ]


def test_flags_a_possessive_without_the_apostrophe_s() -> None:
    assert flagged("Acme's checkout was affected.", ["Acme Corp."]) == ["Acme"]


def test_matches_punctuation_variants_of_the_legal_suffix() -> None:
    assert flagged("Raised by Acme Corp and Acme, Corp. and Acme Corp.", ["Acme Corp."]) == [
        "Acme Corp",
        "Acme, Corp",
        "Acme Corp",
    ]


def test_matches_the_name_without_its_legal_suffix() -> None:
    assert flagged("Globex saw delays.", ["Globex Corporation"]) == ["Globex"]


def test_does_not_match_inside_other_words() -> None:
    assert flagged("Parcels from the Acmeville depot and acmecorp.", ["Acme"]) == []


def test_never_flags_the_account_the_message_is_for() -> None:
    assert flagged("Hi Acme Corp. team, your Acme workspace is back.", ["Acme Corp"], ["Acme Corp."]) == []


def test_still_flags_other_accounts_in_a_named_account_message() -> None:
    assert flagged(
        "Hi Contoso team; fabrikam was affected too.", ["Contoso", "Fabrikam Inc."], ["Contoso"]
    ) == ["fabrikam"]
