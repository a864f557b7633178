"""The policy file a team configures (TOML), validated at start-up.

Owns severities, channels, approvals, reminders, digests, follow-ups, external delivery and
the draft-checker rules. Imports only root modules.
"""
