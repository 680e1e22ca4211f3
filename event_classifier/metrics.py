"""Per-label threshold tuning and multi-label metrics that honour unjudged (unknown) labels."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import precision_recall_curve


def tune_thresholds(scores: np.ndarray, targets: np.ndarray, known: np.ndarray, labels: list[str],
                    default: float = 0.5) -> dict[str, float]:
    """For each label, the score cut-off that maximises that label's F1 on the judged rows."""
    thresholds = {}
    for j, label in enumerate(labels):
        rows = known[:, j]
        y, s = targets[rows, j], scores[rows, j]
        if y.sum() == 0 or y.sum() == len(y):
            thresholds[label] = default
            continue
        precision, recall, cuts = precision_recall_curve(y, s)
        f1 = 2 * precision[:-1] * recall[:-1] / np.maximum(precision[:-1] + recall[:-1], 1e-12)
        thresholds[label] = float(cuts[int(np.argmax(f1))])
    return thresholds


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def classification_metrics(predicted: np.ndarray, targets: np.ndarray, known: np.ndarray,
                           labels: list[str]) -> dict:
    """Precision, recall, F1 and support per label, plus micro and macro averages.

    A label outside a row's `known` set counts neither as positive nor as negative for that row.
    """
    per_label, tp_all, fp_all, fn_all = {}, 0, 0, 0
    for j, label in enumerate(labels):
        rows = known[:, j]
        y, p = targets[rows, j].astype(bool), predicted[rows, j].astype(bool)
        tp, fp, fn = int((y & p).sum()), int((~y & p).sum()), int((y & ~p).sum())
        precision, recall, f1 = _prf(tp, fp, fn)
        tp_all, fp_all, fn_all = tp_all + tp, fp_all + fp, fn_all + fn
        per_label[label] = {"precision": float(precision), "recall": float(recall), "f1": float(f1),
                            "support": int(y.sum()), "judged": int(rows.sum())}
    micro_p, micro_r, micro_f1 = _prf(tp_all, fp_all, fn_all)
    macro = {k: float(np.mean([m[k] for m in per_label.values()])) for k in ("precision", "recall", "f1")}
    return {
        "labels": per_label,
        "micro": {"precision": micro_p, "recall": micro_r, "f1": micro_f1},
        "macro": macro,
        "examples": int(len(targets)),
    }


def apply_thresholds(scores: np.ndarray, thresholds: dict[str, float], labels: list[str]) -> np.ndarray:
    return scores >= np.array([thresholds[label] for label in labels], dtype=scores.dtype)
