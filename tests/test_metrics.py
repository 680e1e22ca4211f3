"""Threshold tuning and metrics on hand-made score arrays."""

from __future__ import annotations

import numpy as np
import pytest

from event_classifier.metrics import apply_thresholds, classification_metrics, tune_thresholds


def test_threshold_is_tuned_per_label_to_the_cut_that_maximises_f1():
    scores = np.array([[0.9, 0.2], [0.7, 0.3], [0.4, 0.8], [0.1, 0.35]], dtype=np.float32)
    targets = np.array([[1, 0], [1, 0], [0, 1], [0, 1]], dtype=np.float32)
    known = np.ones_like(targets, dtype=bool)
    thresholds = tune_thresholds(scores, targets, known, ["a", "b"])
    assert thresholds["a"] == pytest.approx(0.7)
    assert thresholds["b"] == pytest.approx(0.35)
    predicted = apply_thresholds(scores, thresholds, ["a", "b"])
    assert classification_metrics(predicted, targets, known, ["a", "b"])["macro"]["f1"] == pytest.approx(1.0)


def test_label_with_no_positives_keeps_the_default_threshold():
    scores = np.array([[0.9], [0.1]], dtype=np.float32)
    assert tune_thresholds(scores, np.zeros((2, 1)), np.ones((2, 1), bool), ["a"]) == {"a": 0.5}


def test_unknown_labels_count_neither_as_positive_nor_negative():
    predicted = np.array([[1, 1], [0, 1]], dtype=bool)
    targets = np.array([[1, 0], [0, 0]], dtype=np.float32)
    known = np.array([[True, False], [True, False]])  # label b was never judged
    metrics = classification_metrics(predicted, targets, known, ["a", "b"])
    assert metrics["labels"]["a"]["f1"] == pytest.approx(1.0)
    assert metrics["labels"]["b"]["judged"] == 0 and metrics["labels"]["b"]["support"] == 0
    assert metrics["micro"]["precision"] == pytest.approx(1.0)  # b's predictions are not false positives


def test_unknown_label_is_ignored_by_threshold_tuning():
    scores = np.array([[0.9], [0.2], [0.95]], dtype=np.float32)
    targets = np.array([[1], [0], [0]], dtype=np.float32)
    known = np.array([[True], [True], [False]])
    assert tune_thresholds(scores, targets, known, ["a"]) == {"a": pytest.approx(0.9)}
