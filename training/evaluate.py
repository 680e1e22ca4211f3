"""Evaluate a published model on any corpus-format file; print a JSON summary and write the report.

    python -m training.evaluate --model artifacts/models/latest --data path.jsonl [--backend onnx]
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from event_classifier.artifact import ModelDirError
from event_classifier.corpus import CorpusError, Example, label_matrix, load_corpus
from event_classifier.metrics import apply_thresholds, classification_metrics, tune_thresholds
from event_classifier.predictor import Predictor, split_texts
from training.baseline import TfidfBaseline


@dataclass
class Evaluation:
    """Scores, decisions and metrics of one scorer on one corpus file."""

    name: str
    examples: list[Example]
    scores: np.ndarray
    thresholds: dict[str, float]
    metrics: dict

    @property
    def targets(self) -> np.ndarray:
        return label_matrix(self.examples, list(self.thresholds))[0]

    @property
    def known(self) -> np.ndarray:
        return label_matrix(self.examples, list(self.thresholds))[1]


def score_evaluation(name: str, examples: list[Example], scores: np.ndarray, thresholds: dict[str, float]) -> Evaluation:
    labels = list(thresholds)
    targets, known = label_matrix(examples, labels)
    predicted = apply_thresholds(scores, thresholds, labels)
    return Evaluation(name, examples, scores, thresholds, classification_metrics(predicted, targets, known, labels))


def model_scores(predictor: Predictor, examples: list[Example]) -> np.ndarray:
    """Document scores as the server computes them: split into sentences, max over sentences."""
    docs = predictor.classify([ex.text for ex in examples])
    return np.array([[doc.scores[label] for label in predictor.labels] for doc in docs], dtype=np.float32)


def baseline_scores(baseline: TfidfBaseline, examples: list[Example]) -> np.ndarray:
    """The baseline scored the same way: per sentence, max over a text's sentences."""
    spans, sentences = split_texts([ex.text for ex in examples], True)
    flat = baseline.scores(sentences)
    out, offset = [], 0
    for sp in spans:
        out.append(flat[offset : offset + len(sp)].max(axis=0))
        offset += len(sp)
    return np.array(out, dtype=np.float32)


def evaluate_baseline(train: list[Example], dev: list[Example], data: list[Example], labels: list[str],
                      name: str) -> Evaluation:
    """Fit the baseline on train, tune its thresholds on dev, evaluate it on `data`."""
    baseline = TfidfBaseline(labels).fit(train)
    dev_targets, dev_known = label_matrix(dev, labels)
    thresholds = tune_thresholds(baseline_scores(baseline, dev), dev_targets, dev_known, labels)
    return score_evaluation(name, data, baseline_scores(baseline, data), thresholds)


def summary(evaluation: Evaluation) -> dict:
    m = evaluation.metrics
    return {"macro_f1": round(m["macro"]["f1"], 4), "micro_f1": round(m["micro"]["f1"], 4),
            "f1": {label: round(v["f1"], 4) for label, v in m["labels"].items()}}


def main(argv: list[str] | None = None) -> int:
    from serving.settings import Settings
    from training.report import write_report

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="artifacts/models/latest")
    parser.add_argument("--data", required=True, help="a corpus-format JSONL file")
    parser.add_argument("--backend", default=None, help="torch, onnx or onnx-fp32 (default: the server's)")
    parser.add_argument("--report-dir", default=None, help="default: artifacts/reports/<run-id>")
    args = parser.parse_args(argv)
    backend = args.backend or Settings().backend
    try:
        predictor = Predictor(args.model, backend=backend)
        labels = predictor.labels
        data = load_corpus(args.data, labels)
        name = Path(args.data).stem
        result = score_evaluation(name, data, model_scores(predictor, data), dict(zip(labels, predictor.thresholds.tolist())))
        files = predictor.info["data"]
        train = load_corpus(files["train"]["path"], labels)
        dev = load_corpus(files["dev"]["path"], labels)
    except (CorpusError, ModelDirError, FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    baseline = evaluate_baseline(train, dev, data, labels, name)
    # Published runs are immutable (their files are checksummed), so reports of later evaluations live apart.
    report_dir = Path(args.report_dir or Path("artifacts/reports") / predictor.run_id)
    write_report(report_dir, result, baseline, f"{predictor.run_id} ({backend})")
    print(json.dumps({"model": predictor.run_id, "backend": backend, "data": args.data,
                      "examples": len(data), "model_metrics": summary(result),
                      "baseline_metrics": summary(baseline), "report": str(report_dir / f"{name}.md")}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
