"""What a receiver checks: the HMAC over "t.body", and that t is recent."""

from __future__ import annotations

from bot.external.webhook_signing import signature, verify

SECRET, BODY, NOW = b"s3cret", b'{"id":"draft-1.v1.published"}', 1_795_000_000


def test_a_valid_signature_verifies():
    assert verify(SECRET, signature(SECRET, NOW, BODY), BODY, NOW)
    assert signature(SECRET, NOW, BODY).startswith(f"t={NOW},v1=")


def test_a_changed_body_another_secret_or_an_old_timestamp_is_refused():
    header = signature(SECRET, NOW, BODY)
    assert not verify(SECRET, header, BODY + b" ", NOW)
    assert not verify(b"other", header, BODY, NOW)
    assert not verify(SECRET, header, BODY, NOW + 301)
    assert not verify(SECRET, "t=abc,v1=00", BODY, NOW) and not verify(SECRET, "", BODY, NOW)
