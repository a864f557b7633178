"""Messages before they go out: versions, checks, approval and the message flow.

Owns drafting a stage, editing and redacting versions, who may approve, approval cards and
`MessageFlow` (draft → approval card → approved). Imports `comms`, `audit`, `chat`, `policy`.
"""
