"""Comms SLOs: how well customers were kept informed, read back from the audit trail."""
