"""The checker's word lists: the shipped rule file, merged with the policy's rule file and lists.

Order: ``rules/default_rules.toml`` (shipped), then ``CheckRules.rules_file`` (its ``[vocabulary]``
lists extend, its ``[replace]`` lists replace), then ``CheckRules.vocabulary`` (extends), then the
older policy keys (``allowed_names`` extend ``technology_names``, ``extra_speculation_phrases``
extend ``hedges``, ``role_mailboxes`` replace ``role_mailboxes``). Results are cached per rules.
"""

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from bot.policy.check_rules import VOCABULARY_KEYS, CheckRules, read_rule_file

SHIPPED_RULES = Path(__file__).resolve().parent / "rules" / "default_rules.toml"

Vocabulary = dict[str, tuple[str, ...]]
_Key = tuple[str | None, tuple[tuple[str, tuple[str, ...]], ...]]


def vocabulary_for(rules: CheckRules | None = None) -> Vocabulary:
    """Every word list, for ``rules`` (the shipped lists when None)."""
    rules = rules or CheckRules()
    extra = {key: list(words) for key, words in rules.vocabulary.items()}
    extra.setdefault("technology_names", []).extend(rules.allowed_names)
    extra.setdefault("hedges", []).extend(rules.extra_speculation_phrases)
    extra = {key: words for key, words in extra.items() if words}
    merged = _merged(rules.rules_file, tuple(sorted((k, tuple(v)) for k, v in extra.items())))
    if rules.role_mailboxes is not None:
        merged = {**merged, "role_mailboxes": tuple(rules.role_mailboxes)}
    return merged


@lru_cache(maxsize=64)
def _merged(rules_file: str | None, extra: tuple[tuple[str, tuple[str, ...]], ...]) -> Vocabulary:
    shipped = read_rule_file(SHIPPED_RULES)["vocabulary"]
    lists = {key: list(shipped.get(key, [])) for key in VOCABULARY_KEYS}
    if rules_file:
        ours = read_rule_file(rules_file)
        for key, words in ours["replace"].items():
            lists[key] = list(words)
        for key, words in ours["vocabulary"].items():
            lists[key].extend(words)
    for key, words in extra:
        lists[key].extend(words)
    return {key: tuple(dict.fromkeys(word.lower() for word in words)) for key, words in lists.items()}


def phrases(words: Iterable[str]) -> str:
    """A regex alternation of literal phrases, longest first; a space matches any run of spaces."""
    ordered = sorted(set(words), key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(part) for part in word.split()) for word in ordered) or r"(?!)"


def word_pattern(words: Iterable[str]) -> re.Pattern[str]:
    """Whole-word, case-insensitive matcher of ``words`` (compiled once per list)."""
    return _word_pattern(tuple(words))


@lru_cache(maxsize=256)
def _word_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w)(?:{phrases(words)})(?!\w)", re.IGNORECASE)


@lru_cache(maxsize=256)
def cached_pattern(template: str, **lists: tuple[str, ...]) -> re.Pattern[str]:
    """``template`` with ``<<name>>`` replaced by the alternation of ``lists[name]``, compiled once."""
    for name, words in lists.items():
        template = template.replace(f"<<{name}>>", f"(?:{phrases(words)})")
    return re.compile(template)
