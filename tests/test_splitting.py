"""Sentence splitting keeps exact character offsets on messy real-world news text."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from event_classifier.predictor import units
from event_classifier.splitting import split_sentences


def sentences(text):
    return [text[s.start : s.end] for s in split_sentences(text)]


def test_titles_and_abbreviations_do_not_end_a_sentence():
    text = "Officials briefed reporters. Lt. Col. Khan said the U.S. team met No. 4 wing at 5 p.m. on Friday. Two men were held."
    assert sentences(text) == ["Officials briefed reporters.",
                               "Lt. Col. Khan said the U.S. team met No. 4 wing at 5 p.m. on Friday.",
                               "Two men were held."]


@pytest.mark.parametrize("text", [
    "“We arrested three men,” the SSP said. “They face trial.”",
    "The non‑breaking‑hyphen operation ended. Two were hurt 😀 badly. Then calm returned.",
    "Line one ends here.\r\nLine two follows.\r\n\r\nLine three.",
    "QUETTA: Security forces killed five militants.\nA soldier was martyred.",
    "  leading spaces and a lowercased fragment without a full stop",
])
def test_offsets_slice_the_input_back_to_each_sentence(text):
    spans = split_sentences(text)
    assert spans
    for span in spans:
        piece = text[span.start : span.end]
        assert piece == piece.strip() and piece
    assert "".join(text[s.start : s.end] for s in spans).replace(" ", "") == "".join(text.split()).replace(" ", "")


def test_line_breaks_always_end_a_sentence():
    assert sentences("Police raided a house\nTwo men were arrested") == ["Police raided a house", "Two men were arrested"]


def test_unsplit_text_is_one_unit_without_surrounding_whitespace():
    text = "  Two sentences here. Kept as one unit.\n"
    [span] = units(text, split=False)
    assert text[span.start : span.end] == "Two sentences here. Kept as one unit."


def test_splitting_from_many_threads_gives_the_same_answer():
    text = "Police raided a house. Two men were arrested. Lt. Col. Khan said so. " * 20
    expected = split_sentences(text)
    with ThreadPoolExecutor(8) as pool:
        assert all(r == expected for r in pool.map(split_sentences, [text] * 64))
