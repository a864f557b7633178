"""The edges: the composition root (`app`), the CLI, the demo, Slack, Teams and public HTTP.

They import the core (`bot/`), never the other way round.
"""
