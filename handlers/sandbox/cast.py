"""Who and what the sandbox workspace holds: people, channels and the policy they play under."""

from __future__ import annotations

from typing import NamedTuple


class Person(NamedTuple):
    id: str
    name: str
    role: str
    external: bool = False  # a customer of another organisation, in a Slack Connect channel


class Room(NamedTuple):
    id: str
    name: str
    members: tuple[str, ...]
    shared: bool = False


ALICE, BOB, CAROL, DANA, ERIN, QUINN = "UALICE", "UBOB", "UCAROL", "UDANA", "UERIN", "UQUINN"
PEOPLE = (
    Person(ALICE, "alice", "reporter"),
    Person(BOB, "bob", "commander"),
    Person(CAROL, "carol", "comms owner"),
    Person(DANA, "dana", "approver"),
    Person(ERIN, "erin", "CS lead"),
    Person(QUINN, "quinn", "customer at Acme Corp", external=True),
)
STAFF = (ALICE, BOB, CAROL, DANA, ERIN)
GENERAL, APPROVALS, UPDATES, DIGESTS, ACME = "CGENERAL", "CAPPROVALS", "CSTATUS", "CCSDIGEST", "CACME"
ROOMS = (
    Room(GENERAL, "general", STAFF),
    Room(APPROVALS, "incident-approvals", STAFF),
    Room(UPDATES, "status-updates", STAFF),
    Room(DIGESTS, "cs-digest", STAFF),
    Room(ACME, "acme-shared", (*STAFF, QUINN), shared=True),
)
GUIDE_USER = "USANDBOX"
GUIDE = """*Welcome to the sandbox.* Everything here is the real incident-comms app, and nothing leaves \
this machine. Try:
1. As *alice*, type `/incident Checkout errors in EU` below and fill in the form.
2. Switch to *dana* (the approver) and press *Approve* in #incident-approvals; \
open the *Status page* from the top bar.
3. As *carol* (comms owner), press *+1 h* and read the reminder in the incident channel.
4. As *bob* (commander), type `/incident resolve` in the incident channel.
Or press *Play a SEV1* and watch. `/incident help` lists every command."""
POLICY = f"""
[channels]
announcements = "{GENERAL}"
approvals = "{APPROVALS}"
customer_updates = ["{UPDATES}"]
[accounts."Acme Corp"]
channels = ["{ACME}"]
[approvals]
approvers = ["{DANA}"]
[roles]
cs_leads = ["{ERIN}"]
[digests]
channel = "{DIGESTS}"
schedules = {{ hourly = "0 * * * *" }}
[messages]
support_route = "Contact support@example.com or open a ticket at https://help.example.com."
[reminders]
repeat_every = "15m"
escalation = [{{ after = "15m", notify = ["commander"] }}]
"""
