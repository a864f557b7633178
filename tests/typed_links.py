"""A link someone typed into an incident, as every surface must show it: label, then full URL."""

from __future__ import annotations

from tests.slack.flows import declare

EVIL = "https://evil.example/login"
SPOOF = f"[verify your account]({EVIL})"
SHOWN = f"verify your account ({EVIL})"  # what every reader sees instead
TITLE = f"Checkout errors {SPOOF}"
WHAT = f"Card payments fail at checkout for customers in the EU region. {SPOOF}"
IMPACT = f"EU customers cannot pay; {SPOOF} for the workaround."


async def declare_spoofed(bot, **fields) -> None:
    """An incident whose title, what happened and impact each carry a relabelled link."""
    await declare(bot, TITLE, **{"what_happened": WHAT, "customer_impact": IMPACT, **fields})


def relabelled(text: str) -> bool:
    """Is the evil URL live under another label anywhere in `text` (any platform's link syntax)?"""
    return any(form in text for form in (f"<{EVIL}|", f"]({EVIL})", f'<a href="{EVIL}"', f"<{EVIL}>"))
