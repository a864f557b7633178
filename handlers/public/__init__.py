"""Public read-only endpoints: the status page, the Statuspage-compatible JSON API, the Atom feed."""
