"""The outbox: every approved message delivered once per chat target, across errors and restarts.

Owns enqueueing, claims, per-channel pacing, retries, reconciliation and records. Imports
`reminders` (a published promise sets the next due time), `audit`, `chat`, `policy`.
"""
