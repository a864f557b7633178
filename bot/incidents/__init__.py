"""Incidents: declare, edit, resolve rules, their forms, cards, channel names and set-up.

Imports `reminders` (a severity sets the cadence), `audit`, `chat`, `policy` and root modules.
"""
