"""The subscription forms, parsed into typed values or `Invalid` (per-field messages)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.errors import Invalid
from bot.policy.model import Policy
from bot.subscriptions.tokens import MAX_ADDRESS, valid_address

MAX_COMPONENTS = 200


@dataclass(frozen=True)
class Chosen:
    address: str
    components: list[str]  # [] = all updates


def components_of(fields: Mapping[str, list[str]], policy: Policy) -> list[str]:
    """The chosen components: [] for all updates; `Invalid` for none or an unknown one."""
    scope = (fields.get("scope") or ["all"])[0]
    if scope not in ("all", "some"):
        raise Invalid({"scope": "Choose all updates or some components."})
    if scope == "all":
        return []
    picked = fields.get("component", [])[:MAX_COMPONENTS]
    known = policy.status_page.components
    if not picked or any(component not in known for component in picked):
        raise Invalid({"component": "Choose at least one of the components listed."})
    return sorted(set(picked))


def parse_subscribe(fields: Mapping[str, list[str]], policy: Policy) -> Chosen:
    address = (fields.get("email") or [""])[0].strip()
    if len(address) > MAX_ADDRESS or not valid_address(address):
        raise Invalid({"email": "Enter an e-mail address such as name@example.com."})
    return Chosen(address, components_of(fields, policy))
