"""After the fix: resolving, the resolution flow, follow-up items and channel archiving.

Imports `drafts`, `incidents`, `reminders`, `comms`, `audit`, `chat`, `policy`.
"""
