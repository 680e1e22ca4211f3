"""Corpus validation and duplicate detection: every kind of broken input fails with file:line and reason."""

from __future__ import annotations

import json

import pytest

from event_classifier.corpus import load_corpus
from event_classifier.datacheck import check_corpus, main as datacheck_main, near_duplicate_pairs

LABELS = ["raid", "casualty", "arrest", "allegation"]
GOOD = {"text": "Police arrested two men in Lahore on Monday.", "labels": ["arrest"]}


def corpus(tmp_path, train_lines, dev_lines=None, test_lines=None):
    paths = {}
    defaults = {"dev": [{"text": "Floods displaced thousands of families in Sindh.", "labels": []}],
                "test": [{"text": "The central bank held interest rates steady.", "labels": []}]}
    for split, lines in [("train", train_lines), ("dev", dev_lines), ("test", test_lines)]:
        lines = defaults[split] if lines is None else lines
        path = tmp_path / f"{split}.jsonl"
        path.write_bytes(b"".join(l if isinstance(l, bytes) else (json.dumps(l) if isinstance(l, dict) else l).encode() + b"\n"
                                  for l in lines))
        paths[split] = str(path)
    return check_corpus(paths, LABELS)


@pytest.mark.parametrize("line, reason", [
    ("{not json", "not valid JSON"),
    ('["a list"]', "expected a JSON object"),
    ({"labels": []}, "'text' must be a non-empty string"),
    ({"text": "   ", "labels": []}, "'text' must be a non-empty string"),
    ({"text": 5, "labels": []}, "'text' must be a non-empty string"),
    ({"text": "Police held him."}, "'labels' must be a list"),
    ({"text": "Police held him.", "labels": "arrest"}, "'labels' must be a list"),
    ({"text": "Police held him.", "labels": ["kidnap"]}, "unknown label(s) ['kidnap']"),
    ({"text": "Police held him.", "labels": ["arrest", "arrest"]}, "duplicate label"),
    ({"text": "Police raided and held him.", "labels": ["raid", "arrest"]}, "labels must be sorted"),
    ({"text": "Police held him.", "labels": ["arrest"], "source": "x"}, "unexpected key(s) ['source']"),
    ({"text": " Police held him.", "labels": ["arrest"]}, "leading or trailing whitespace"),
    ("", "blank line"),
    (b"\xff\xfe broken bytes", "not valid UTF-8"),
])
def test_each_kind_of_broken_line_is_reported_with_its_file_and_line(tmp_path, line, reason):
    problems = corpus(tmp_path, [GOOD, line])
    assert len(problems) == 1
    assert problems[0].startswith(f"{tmp_path / 'train.jsonl'}:2: ") and reason in problems[0]


def test_empty_file_is_rejected(tmp_path):
    assert "holds no examples" in corpus(tmp_path, [])[0]


def test_exact_duplicate_within_a_split_is_reported(tmp_path):
    problems = corpus(tmp_path, [GOOD, {"text": "police arrested two men in Lahore on Monday", "labels": ["arrest"]}])
    assert problems == [f"{tmp_path / 'train.jsonl'}:2: exact duplicate of {tmp_path / 'train.jsonl'}:1 (within train)"]


def test_test_sentence_near_duplicating_train_is_reported(tmp_path):
    near = {"text": "Police arrested two men in Lahore on Monday night.", "labels": ["arrest"]}
    problems = corpus(tmp_path, [GOOD], test_lines=[near])
    assert len(problems) == 1
    assert "test.jsonl:1: near-duplicate" in problems[0] and "across splits train/test" in problems[0]


def test_different_sentences_about_the_same_event_are_not_duplicates():
    texts = ["police arrested two men in lahore on monday", "two men were taken into custody by lahore police"]
    assert list(near_duplicate_pairs(texts)) == []


def test_labels_known_limits_which_labels_a_line_may_carry(tmp_path):
    path = tmp_path / "eval.jsonl"
    path.write_text(json.dumps({"text": "x y", "labels": ["raid"], "labels_known": ["arrest"]}) + "\n")
    with pytest.raises(ValueError, match=r"eval.jsonl:1: labels \['raid'\] are not in labels_known"):
        load_corpus(path, LABELS)


def test_committed_corpus_passes_the_data_check():
    assert datacheck_main(["--config", "configs/default.yaml"]) == 0
