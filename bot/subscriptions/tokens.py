"""Signed links (HMAC-SHA256 over the secret from the environment), addresses and their hashes.

- a confirmation link: `<request id>.<expiry>.<mac>`; the request id is random, so the link
  carries nothing the requester typed;
- a subscriber's own link (unsubscribe, change components): its `address_key`, an HMAC of
  the address; it is the capability, found by an indexed lookup, never guessable;
- a form token: `<issued>.<mac>`, so only our own form page can post the form.
Rotating the secret invalidates every outstanding link and subscribers' keys.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Mapping
from datetime import datetime, timedelta

from bot.policy.external import is_address
from bot.policy.model import Policy, PolicyError

MIN_SECRET = 32
FORM_LIFETIME = timedelta(hours=12)
MAX_ADDRESS = 254
_TOKEN = re.compile(r"^([0-9a-f]{32})\.([0-9]{1,12})\.([0-9a-f]{64})$")
_FORM = re.compile(r"^([0-9]{1,12})\.([0-9a-f]{64})$")
_KEY = re.compile(r"^[0-9a-f]{64}$")


class Signer:
    def __init__(self, secret: str) -> None:
        if len(secret) < MIN_SECRET:
            raise PolicyError(f"the subscription secret must be at least {MIN_SECRET} characters")
        self._secret = secret.encode()

    def __repr__(self) -> str:
        return "Signer(<secret>)"  # never the secret, in a log or a traceback

    def mac(self, purpose: str, text: str) -> str:
        return hmac.new(self._secret, f"{purpose}\x00{text}".encode(), hashlib.sha256).hexdigest()

    def confirmation(self, request_id: str, expires_at: datetime) -> str:
        expiry = str(int(expires_at.timestamp()))
        return f"{request_id}.{expiry}.{self.mac('confirm', f'{request_id}.{expiry}')}"

    def confirmed_request(self, token: str, now: datetime) -> str | None:
        """The request id of a genuine, unexpired confirmation token; None otherwise."""
        match = _TOKEN.match(token)
        if match is None:
            return None
        request_id, expiry, mac = match.groups()
        if not hmac.compare_digest(mac, self.mac("confirm", f"{request_id}.{expiry}")):
            return None
        return request_id if now.timestamp() < int(expiry) else None

    def address_key(self, address: str) -> str:
        return self.mac("subscriber", normalised(address))

    def form_token(self, now: datetime) -> str:
        issued = str(int(now.timestamp()))
        return f"{issued}.{self.mac('form', issued)}"

    def form_token_valid(self, token: str, now: datetime) -> bool:
        match = _FORM.match(token)
        if match is None or not hmac.compare_digest(match[2], self.mac("form", match[1])):
            return False
        return 0 <= now.timestamp() - int(match[1]) <= FORM_LIFETIME.total_seconds()

    def hashed(self, kind: str, value: str) -> str:
        """What the limits count and logs show: a keyed hash, never the address itself."""
        return self.mac(f"hash:{kind}", value.casefold())


def is_key(value: str) -> bool:
    return bool(_KEY.match(value))


def new_request_id() -> str:
    return secrets.token_hex(16)


def normalised(address: str) -> str:
    return address.strip().casefold()


def valid_address(address: str) -> bool:
    return 3 <= len(address) <= MAX_ADDRESS and address.isascii() and is_address(address)


def signer_for(policy: Policy, environ: Mapping[str, str] | None = None) -> Signer | None:
    """The signer when subscriptions are on; a missing or short secret stops start-up."""
    settings = policy.subscriptions
    if not settings.enabled:
        return None
    if not policy.status_page.base_url.startswith(("https://", "http://")):
        raise PolicyError("subscriptions: status_page.base_url is required (links in e-mails are absolute)")
    secret = (os.environ if environ is None else environ).get(settings.secret_env, "")
    if not secret:
        raise PolicyError(f"subscriptions: set {settings.secret_env} (a random secret of 32+ characters)")
    return Signer(secret)


def links_base(policy: Policy) -> str:
    """The absolute prefix of the subscription pages: `<base_url><status path>`."""
    return policy.status_page.base_url.rstrip("/") + (policy.status_page.path.rstrip("/"))
