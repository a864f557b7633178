"""Block Kit checks as Web API errors: own limits first, then the public JSON Schema when available."""

from __future__ import annotations

from typing import Any

from . import limits
from .errors import SlackError, invalid_arguments
from .schemas import BlockKitSchema


class BlockChecker:
    def __init__(self, schema: BlockKitSchema | None) -> None:
        self.schema = schema

    @property
    def schema_active(self) -> bool:
        return self.schema is not None

    def message_block_errors(self, blocks: list[Any], prefix: str = "blocks") -> list[str]:
        errors = limits.check_blocks(blocks, prefix=prefix)
        if not errors and self.schema is not None and blocks:
            errors = self.schema.check_blocks(blocks, prefix)
        return errors

    def view_errors(self, view: dict[str, Any]) -> list[str]:
        errors = limits.check_view(view)
        if not errors and self.schema is not None:
            errors = self.schema.check_view(view)
        return errors

    def require_message_blocks(self, blocks: Any) -> list[dict[str, Any]] | None:
        """The validated blocks of a message (None when absent); raises invalid_blocks(_format)."""
        if blocks is None or blocks == "":
            return None
        if not isinstance(blocks, list):
            raise SlackError("invalid_blocks_format")
        errors = self.message_block_errors(blocks)
        if errors:
            raise SlackError("invalid_blocks", errors=errors)
        return blocks

    def require_view(self, view: Any, kind: str) -> dict[str, Any]:
        """A modal / home view that passes every check; raises invalid_arguments with the reasons."""
        if not isinstance(view, dict):
            raise invalid_arguments("[ERROR] view must be a JSON object [json-pointer:/view]")
        if view.get("type") != kind:
            raise invalid_arguments(f"[ERROR] view.type must be {kind!r} [json-pointer:/view/type]")
        errors = self.view_errors(view)
        if errors:
            raise invalid_arguments(*errors)
        return view
