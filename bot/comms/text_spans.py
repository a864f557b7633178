"""Sentence splitting and small text helpers shared by the detectors.

Sentences keep their character offsets into the original text so findings can point at exact
spans. Splitting is deliberately simple: line breaks always end a sentence (drafts use lines for
headings and bullets) and ``.``/``!``/``?`` end one when followed by whitespace, except after common
abbreviations. Dots inside versions, times, e-mail addresses and host names are not followed by
whitespace and so never split.
"""

import re
from dataclasses import dataclass

_ABBREVIATIONS = frozenset(
    {"e.g", "i.e", "etc", "approx", "vs", "mr", "mrs", "ms", "dr", "no", "inc", "ltd", "corp", "co", "st"}
)
# a run starts only where the run begins: from inside one it ends at the same place (linear)
_BOUNDARY = re.compile(r"(?<![.!?])[.!?]+[\"')\]*_]*(?=\s)")
_WORD_BEFORE = re.compile(r"(?<![\w.])([\w.]+)$")


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int
    end: int


def split_sentences(text: str) -> list[Sentence]:
    """Split ``text`` into sentences with offsets; blank stretches are dropped."""
    sentences: list[Sentence] = []
    line_start = 0
    for line in text.splitlines(keepends=True):
        sentences.extend(_split_line(line.rstrip("\r\n"), line_start))
        line_start += len(line)
    return sentences


def _split_line(line: str, offset: int) -> list[Sentence]:
    pieces: list[Sentence] = []
    start = 0
    for boundary in _BOUNDARY.finditer(line):
        word = _WORD_BEFORE.search(line, 0, boundary.start())
        if word and word.group(1).lower() in _ABBREVIATIONS and line[boundary.start()] == ".":
            continue
        pieces.append(_trimmed(line, start, boundary.end(), offset))
        start = boundary.end()
    pieces.append(_trimmed(line, start, len(line), offset))
    return [piece for piece in pieces if piece.text]


def _trimmed(line: str, start: int, end: int, offset: int) -> Sentence:
    chunk = line[start:end]
    stripped_left = len(chunk) - len(chunk.lstrip())
    chunk = chunk.strip()
    return Sentence(chunk, offset + start + stripped_left, offset + start + stripped_left + len(chunk))


def line_and_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def sentence_at(sentences: list[Sentence], offset: int) -> Sentence | None:
    """The sentence containing ``offset``, if any."""
    for sentence in sentences:
        if sentence.start <= offset < sentence.end:
            return sentence
    return None
