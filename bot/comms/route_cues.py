"""Cues for how to get help, how to send feedback and when the next update comes, searched per
sentence, case-insensitively (``required_content`` uses them with ``required_cues.TIME``).
"""

import re


def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{part})" for part in parts), re.IGNORECASE)


SUPPORT_ROUTE = _rx(
    r"\b(?:contact|reach(?:\s+out)?(?:\s+to)?|e-?mail|write to|call|message|ping|get in touch with|"
    r"speak (?:to|with)|talk to|let)\s+(?:us\b|our\b|support\b|the support|your (?:account|customer success|"
    r"success|dedicated)|\S+@|\{\{)",
    r"\b(?:support|help|service)\s*(?:portal|line|hotline|helpline|team|desk|center|centre|site|menu|"
    r"channel)\b",
    r"\bhelp ?(?:center|centre|desk)\b",
    r"\bsupport (?:is|are|remains?) (?:still )?available\b",
    r"^\W*(?:support|need help|need assistance|questions)\W*[:?]",
    r"(?<!we have )(?<!we've )(?<!we )\b(?:open|raise|file|submit|create|log)\s+(?:a|an|the)?\s*(?:\w+\s+)?"
    r"(?:ticket|case|support request)\b",
    r"\bstatus ?page\b|\bstatus\.[\w-]+\.[a-z]{2,}\b",
    r"\b(?:account|customer success|success) (?:manager|team)\b",
    r"\breply to this (?:e-?mail|message|thread)\b",
)
FEEDBACK = _rx(r"\bfeedback\b", r"\breply to this\b", r"\blet us know\b")

NEXT_UPDATE = _rx(
    r"\b(?:next|another|further|final|new|follow-up|fresh)\s+update\b",
    r"\bnext (?:information|news|communication|status|report|post|message|notice|bulletin)\b",
    r"\b(?:post|write|report|check in|be back in touch) again\b",
    r"\bupdates?\s+(?:you|this|again|here|the status page|every|each)\b",
    r"\b(?:post|share|send|provide|give|publish)\s+(?:an?|our|the)?\s*(?:\w+\s+)?updates?\b",
    r"\b(?:share|post|send|provide|give)\s+more\b",
    r"\b(?:with|for) (?:an?|another|the next) update\b|\bcheck (?:back )?in\b",
    r"\b(?:an?|another|the next|further) update (?:will|shall) (?:be )?(?:provided|posted|shared|sent|"
    r"published|"
    r"issued|follow|come)\b",
    r"\b(?:more|further) (?:information|details|news|updates?) (?:will follow|to follow|will be (?:shared|"
    r"posted|"
    r"provided|sent))\b",
)
