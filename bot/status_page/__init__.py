"""The public status page: its data (only what customers may read), HTML, feeds and JSON API.

Imports `audit`, `chat`, `policy` and root modules.
"""
