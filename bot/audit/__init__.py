"""Who did what, when: the audit trail every state change writes, and the timeline read from it.

Imports `chat` (timeline cards) and root modules.
"""
