"""`incident-comms demo`: a whole incident played against the Slack and Teams emulators."""
