"""Sentence splitting with character offsets, on nupunkt (chosen by bench/splitters.py)."""

from __future__ import annotations

import re
import threading
from typing import NamedTuple

import nupunkt

# Ranks and titles that news copy puts before names; the stock model misses some of them.
EXTRA_ABBREVIATIONS = ["lt", "col", "gen", "maj", "brig", "capt", "sgt", "insp", "supdt", "cdr", "adm", "hon"]
PARAGRAPH = re.compile(r"[^\r\n]+")
_local = threading.local()


class Span(NamedTuple):
    start: int
    end: int


def _tokenizer():
    # One tokenizer per thread: nupunkt keeps a decision cache that is not documented as thread-safe.
    tokenizer = getattr(_local, "tokenizer", None)
    if tokenizer is None:
        tokenizer = nupunkt.load_default_model()
        tokenizer.add_abbreviations(EXTRA_ABBREVIATIONS)
        _local.tokenizer = tokenizer
    return tokenizer


def split_sentences(text: str) -> list[Span]:
    """Sentence spans of `text` such that text[start:end] is the sentence, stripped of whitespace.

    Line breaks always end a sentence (news copy puts paragraphs on lines); inside a line nupunkt decides.
    """
    tokenizer = _tokenizer()
    spans = []
    for paragraph in PARAGRAPH.finditer(text):
        base = paragraph.start()
        for start, end in tokenizer.span_tokenize(paragraph.group()):
            piece = text[base + start : base + end]
            stripped = piece.strip()
            if stripped:
                left = base + start + (len(piece) - len(piece.lstrip()))
                spans.append(Span(left, left + len(stripped)))
    return spans
