"""One-click redaction of personal data found by the checks."""

from collections.abc import Iterable

from bot.comms.findings import Finding
from bot.comms.personal_data import is_user_mention

REDACTED = "[redacted]"
REDACTED_USER = "[redacted user]"


def redact(text: str, findings: Iterable[Finding]) -> str:
    """Replace every ``pii`` finding with a placeholder, leaving all other text untouched.

    Overlapping findings are merged into one placeholder (``[redacted user]`` only if every merged
    finding is a user mention); adjacent findings each get their own. Raises ``ValueError`` when a
    finding no longer matches the text (e.g. the draft was edited), so nothing is silently left in.
    """
    spans: list[list[int]] = []
    users: list[bool] = []
    for finding in sorted((f for f in findings if f.kind == "pii"), key=lambda f: (f.start, f.end)):
        if text[finding.start : finding.end] != finding.match:
            raise ValueError(f"finding {finding.match!r} does not match the text at {finding.start}")
        if spans and finding.start < spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], finding.end)
            users[-1] = users[-1] and is_user_mention(finding.match)
        else:
            spans.append([finding.start, finding.end])
            users.append(is_user_mention(finding.match))
    pieces = []
    position = 0
    for (start, end), is_user in zip(spans, users, strict=True):
        pieces += [text[position:start], REDACTED_USER if is_user else REDACTED]
        position = end
    pieces.append(text[position:])
    return "".join(pieces)
