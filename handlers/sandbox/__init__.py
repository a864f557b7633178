"""`incident-comms sandbox`: a local web page that looks like a small Slack workspace.

It starts the real app against the built-in Slack emulator (as the demo does) and serves a page on
127.0.0.1 from which one person can play every role. Every click, command and form goes to the app
as the signed HTTP request Slack would send, through `emulator/driver.py`; the page shows what the
emulator recorded. `serve` never registers these routes: only `handlers/sandbox/main.py` builds them.
"""
