"""The `Core` wiring of every service, and the flows that cross domains.

The top of the core: it may import every package; nothing in `bot/` imports it.
"""
