"""E-mail and signed webhooks: the same outbox shape for recipients outside chat.

Imports `publishing` (its retry rules), `audit`, `chat`, `policy` and root modules.
"""
