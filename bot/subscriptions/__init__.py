"""Customers' own e-mail subscriptions: double opt-in per component, signed links, abuse limits.

Imports `policy`, `chat` (templates), root modules and `storage`; `external` imports it (who
receives a message, each subscriber's unsubscribe link).
"""
