"""Update cadence: when the next update is due, heads-ups, nags, escalations, snooze and pause.

Owns the pure schedule rules, the claim of due incidents, the reminder cards and records.
Imports `audit`, `chat`, `policy` and root modules.
"""
