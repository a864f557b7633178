"""Scheduled maintenance: a window of planned work announced, approved, started and completed on time.

Owns the maintenance record (`storage/maintenance_models.py`), its form, its three customer texts
(announcement, start, completion: checked like any draft and approved together), the transitions
the cadence sweep claims (reminder, start, completion, overrun nag) and its cards. Its messages
are drafts of a private host incident published through the outbox (`bot/publishing`), so
delivery is exactly-once per target as for any approved message. Imports drafts, publishing,
access, comms, audit, chat, policy and storage.
"""
