"""The draft checker (what a customer update must and must not say) and drafting from templates.

Imports `policy`, `chat` and root modules.
"""
