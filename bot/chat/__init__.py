"""The chat port: what the core asks of Slack and Teams, and the neutral cards it hands them.

Owns the `ChatPlatform` protocol, neutral cards and buttons, the router between platforms,
Jinja2 templating, form fields and text fit for the public. Imports only root modules.
"""
