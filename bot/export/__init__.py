"""The communications plan as one document (Markdown or HTML), for export.

Imports `resolution` (follow-up items), `drafts`, `audit`, `chat`, `policy`.
"""
