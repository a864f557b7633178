"""How the demo prints: a bold step line, then what a person sees, indented."""

from __future__ import annotations


def say(text: str) -> None:
    print(f"\n\033[1m▶ {text}\033[0m")


def show(text: str) -> None:
    print("\n".join("    " + line for line in text.splitlines()))
