"""Digests for CS leads and the home dashboard: every live incident at a glance.

Imports `incidents` (who may see what), `reminders`, `chat`, `policy` and root modules.
"""
