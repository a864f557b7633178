"""Webhook signatures: HMAC-SHA256 over "<unix time>.<raw body>", Stripe-style.

    X-Incident-Comms-Signature: t=1795000000,v1=5257a869e7…

A receiver recomputes `hmac_sha256(secret, f"{t}.".encode() + body)` as hex, compares it with
`v1` in constant time, and refuses a `t` more than a few minutes from its own clock (replays).
`X-Incident-Comms-Delivery` is the same on every retry of one delivery: dedupe on it.
"""

from __future__ import annotations

import hashlib
import hmac

SIGNATURE_HEADER = "X-Incident-Comms-Signature"
DELIVERY_HEADER = "X-Incident-Comms-Delivery"
EVENT_HEADER = "X-Incident-Comms-Event"
TOLERANCE_SECONDS = 300


def signature(secret: bytes, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret, f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(secret: bytes, header: str, body: bytes, now: int, tolerance: int = TOLERANCE_SECONDS) -> bool:
    """What a receiver does (our tests use it): a valid v1 for this body, signed recently."""
    parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(parts.get("t", ""))
    except ValueError:
        return False
    if abs(now - timestamp) > tolerance:
        return False
    expected = signature(secret, timestamp, body).rpartition("v1=")[2]
    return hmac.compare_digest(expected, parts.get("v1", ""))
