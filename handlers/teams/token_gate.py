"""Inbound Teams tokens are pre-checked before the SDK sees them, so none can stall the loop.

The SDK (2.1.1) checks a token with a synchronous `jwt.PyJWKClient` on the event loop: a `kid`
it has not cached makes it fetch the key set again, and an Entra issuer naming a tenant it has
not seen makes it build a new client for that tenant and fetch its keys, before any signature
is checked (docs/pitfalls.md, Teams SDK). Five forged tokens with fresh tenant ids stalled every
request for seconds. The gate reads the token unverified (no network, no crypto) and lets
through only one the SDK can check from keys already cached off the loop (`signing_keys`):

- issued by the Bot Framework (the cloud's token issuer), or by Entra for our own tenant
  (`TEAMS_TENANT_ID`; the SDK's validator for that tenant is created up front and warmed);
- signed with RS256 by a key whose `kid` is in that issuer's cached key set.

Anything else is a 401 before the SDK runs. The SDK still verifies signature, audience,
expiry and service URL of what passes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import jwt
from microsoft_teams.api.auth.cloud_environment import CloudEnvironment

from handlers.teams.signing_keys import KeyWarmer, key_client

log = logging.getLogger(__name__)
MAX_TOKEN = 16_384  # Bot Framework tokens are about 1.5 KB
ENTRA_V1_PREFIX = "https://sts.windows.net/"


class KeysNotLoaded(Exception):
    """The issuer's key set is not cached (the warmer has not fetched it yet, or keeps failing)."""


@dataclass(frozen=True)
class TokenGate:
    cloud: CloudEnvironment
    service_keys: jwt.PyJWKClient
    tenant_id: str | None = None
    entra_keys: jwt.PyJWKClient | None = None  # our tenant's Entra key set, when a tenant is set

    def refusal(self, authorization: str) -> str | None:
        """Why this Authorization header can never pass the SDK's check, or None to let it try.

        Raises `KeysNotLoaded` when the token may be good but its keys are not cached yet."""
        token = authorization.removeprefix("Bearer ") if authorization.startswith("Bearer ") else ""
        if not token or len(token) > MAX_TOKEN or not token.isascii():
            return "missing, oversized or not ASCII bearer token"  # PyJWT raises UnicodeError on those
        try:
            header = jwt.get_unverified_header(token)
            claims = jwt.decode(token, options={"verify_signature": False})
        except jwt.PyJWTError:
            return "not a JSON Web Token"
        if header.get("alg") != "RS256" or not isinstance(header.get("kid"), str):
            return "not an RS256 token naming its key"
        keys = self._keys_for(claims)
        if keys is None:
            return "issued by someone this bot does not accept"
        return None if header["kid"] in _cached_kids(keys) else "signed by a key the issuer does not publish"

    def _keys_for(self, claims: dict[str, Any]) -> jwt.PyJWKClient | None:
        issuer, tenant = claims.get("iss"), claims.get("tid")
        if issuer == self.cloud.token_issuer:
            return self.service_keys
        ours = self.tenant_id and tenant == self.tenant_id
        entra = (f"{self.cloud.login_endpoint}/{tenant}/v2.0", f"{ENTRA_V1_PREFIX}{tenant}/")
        return self.entra_keys if ours and issuer in entra else None


def _cached_kids(client: jwt.PyJWKClient) -> set[str]:
    cached = client.jwk_set_cache.get() if client.jwk_set_cache is not None else None
    if cached is None:
        raise KeysNotLoaded(client.uri)
    return {key.key_id for key in cached.keys if key.key_id}


def entra_client(app: Any, tenant_id: str | None) -> jwt.PyJWKClient | None:
    """Create (once, up front) the SDK's Entra validator for our own tenant; its key client.

    The SDK would otherwise create it on the first such token, on the loop. Reached through the
    SDK's private attributes, like `signing_keys.key_client`; None if they moved."""
    inbound = getattr(getattr(app, "server", None), "_token_validator", None)
    validators = getattr(inbound, "_entra_validators_by_tenant", None)
    make = getattr(inbound, "_get_entra_validator", None)
    if not tenant_id or not isinstance(validators, dict) or make is None:
        return None
    client = getattr(make(tenant_id), "_jwks_client", None)
    return client if isinstance(client, jwt.PyJWKClient) else None


def guard(app: Any, tenant_id: str | None) -> tuple[TokenGate | None, list[KeyWarmer]]:
    """The gate for an authenticated app and the warmers that keep its key sets cached."""
    service = key_client(app)
    if service is None:
        log.warning("The Teams SDK's key client was not found; tokens go to the SDK unchecked")
        return None, []
    entra = entra_client(app, tenant_id)
    gate = TokenGate(app.cloud, service, tenant_id, entra)
    return gate, [KeyWarmer(client) for client in (service, entra) if client is not None]
