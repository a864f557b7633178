"""Who may act: people behind platform ids, their roles on an incident, and the one check.

Imports policy, chat (the platform port), audit and storage. Every service that changes or
shows an incident calls `Access.require`; handlers never decide permissions themselves.
"""
