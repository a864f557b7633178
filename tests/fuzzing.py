"""Hypothesis strategies that mutate real recorded payloads, for the edge fuzz tests.

`tests/data/payloads/*.json` hold payloads recorded from the emulators (a slash command, an
Approve click, a declare submission, Events API callbacks; Teams activities). A mutation picks
one place in a payload and breaks it: a value of another type, a key removed, a huge string, JSON
nested thousands of levels deep. Deep nesting cannot go through `json.dumps` (it recurses), so it
is spliced into the encoded text in place of a placeholder.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

PAYLOADS = Path(__file__).parent / "data" / "payloads"
DEEP = "\u0000deep\u0000"  # replaced by `[[[…]]]` after encoding


RECORDED_ORIGIN = "http://127.0.0.1:46155"  # the emulator the payloads were recorded from


def recorded(name: str) -> dict[str, Any]:
    return json.loads((PAYLOADS / name).read_text())


def live(payload: Any, origin: str) -> Any:
    """A recorded payload whose URLs (response URLs, the Bot Connector) point at this run's emulator."""
    return json.loads(json.dumps(payload).replace(RECORDED_ORIGIN, origin.rstrip("/")))


def paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    """Every place in a JSON value (dict keys and list indexes), the root included."""
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value[:5]):
            found += paths(item, (*prefix, index))
    return found


def _replaced(value: Any, path: tuple, new: Any, *, delete: bool = False) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    copy = dict(value) if isinstance(value, dict) else list(value)
    if delete and not rest:
        del copy[head]
        return copy
    copy[head] = _replaced(copy[head], rest, new, delete=delete)
    return copy


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    st.text(max_size=20),
    st.just(""),
    st.just("x" * 100_000),
)
wrong_types = st.one_of(
    scalars,
    st.lists(scalars, max_size=3),
    st.dictionaries(st.text(max_size=5), scalars, max_size=3),
    st.just(DEEP),
)


@st.composite
def mutated(draw, payload: dict[str, Any]) -> Any:
    """`payload` with one place broken."""
    path = draw(st.sampled_from(paths(payload)))
    if path and draw(st.booleans()):
        return _replaced(payload, path, None, delete=True)
    return _replaced(payload, path, draw(wrong_types))


def encoded(payload: Any, depth: int) -> str:
    """JSON text of `payload` with the deep-nesting placeholder spliced in."""
    text = json.dumps(payload)
    return text.replace(json.dumps(DEEP), "[" * depth + "]" * depth)


def background_failures(core: Any) -> float:
    """How many tracked background tasks have failed so far (the metrics counter)."""
    return sum(
        sample.value
        for metric in core.metrics.background_failures.collect()
        for sample in metric.samples
        if sample.name.endswith("_total")
    )
