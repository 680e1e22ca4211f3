"""`make train`: fine-tune, tune thresholds on dev, evaluate, export, and publish an immutable run.

    python -m training.train --config configs/default.yaml [--set training.epochs=3 ...]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import signal
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

from event_classifier.artifact import (INFO_FILE, METRICS_FILE, FORMAT_VERSION, checksum_tree, discard,
                                       new_staging_dir, publish, write_json)
from event_classifier.config import Config, ConfigError, load_config
from event_classifier.corpus import CorpusError, fingerprint, label_matrix, load_corpus
from event_classifier.metrics import tune_thresholds
from event_classifier.predictor import Predictor
from training.evaluate import evaluate_baseline, model_scores, score_evaluation, summary
from training.model_card import write_model_card
from training.report import write_report

LIBRARIES = ["torch", "transformers", "datasets", "scikit-learn", "numpy", "onnxruntime", "nupunkt"]


def git_revision() -> str:
    try:
        rev = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain"], capture_output=True, text=True).stdout.strip()
        return rev + ("-dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def library_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def reseal(model_dir: Path) -> None:
    """Recompute the checksums of a run after an additive change (an ONNX export of an older run)."""
    info_path = model_dir / INFO_FILE
    info = json.loads(info_path.read_text(encoding="utf-8"))
    info["checksums"] = checksum_tree(model_dir)
    write_json(info_path, info)


def train(config: Config, export: bool = True, progress: bool = True) -> Path:
    """Run the whole pipeline and return the published run directory; on any failure nothing is published."""
    from training.finetune import fit, load_base, save_base

    labels = config.labels
    train_set = load_corpus(config.data.train, labels, strict=True)[: config.data.max_train_samples]
    dev_set = load_corpus(config.data.dev, labels, strict=True)
    test_set = load_corpus(config.data.test, labels, strict=True)
    tokenizer, model = load_base(config)
    started = time.time()
    run_id = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%d-%H%M%S") + f"-{git_revision()[:7]}"
    models_dir = Path(config.output.models_dir)
    staging = new_staging_dir(models_dir, run_id)
    try:
        history = fit(model, tokenizer, train_set, dev_set, config, progress=progress)
        save_base(model, tokenizer, staging)
        info = {
            "format_version": FORMAT_VERSION,
            "run_id": run_id,
            "labels": labels,
            "thresholds": {label: 0.5 for label in labels},
            "max_length": config.model.max_length,
            "base_model": config.model.base,
            "data": {name: {"path": path, "sha256": fingerprint(path), "examples": n} for name, path, n in [
                ("train", config.data.train, len(train_set)), ("dev", config.data.dev, len(dev_set)),
                ("test", config.data.test, len(test_set))]},
            "git_revision": git_revision(),
            "config": config.to_dict(),
            "versions": library_versions(),
            "created_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        }
        write_json(staging / INFO_FILE, info)
        if export:
            from training.export import export_onnx

            export_onnx(staging)
        # onnx-fp32 computes what torch computes (a unit test holds them equal), so it stands in for torch.
        backends = ["onnx-fp32", "onnx"] if export else ["torch"]
        metrics = {"training": history, "backends": {}}
        for backend in backends:
            # Each backend gets its own thresholds, tuned on its own dev scores (int8 shifts scores a little).
            predictor = Predictor(staging, backend=backend, verify=False)
            dev_scores = model_scores(predictor, dev_set)
            thresholds = tune_thresholds(dev_scores, *label_matrix(dev_set, labels), labels)
            dev_eval = score_evaluation("dev", dev_set, dev_scores, thresholds)
            test_eval = score_evaluation("test", test_set, model_scores(predictor, test_set), thresholds)
            metrics["backends"][backend] = {"thresholds": thresholds, "dev": dev_eval.metrics, "test": test_eval.metrics}
        serving = backends[-1]  # the loop ended on it: test_eval is already the served backend's evaluation
        info["thresholds"] = metrics["backends"][serving]["thresholds"]
        info["backend_thresholds"] = {b: m["thresholds"] for b, m in metrics["backends"].items()}
        write_json(staging / INFO_FILE, info)
        baseline = evaluate_baseline(train_set, dev_set, test_set, labels, "test")
        metrics.update({"serving_backend": serving, "test": test_eval.metrics, "test_baseline": baseline.metrics,
                        "training_seconds": round(time.time() - started, 1)})
        write_json(staging / METRICS_FILE, metrics)
        write_report(staging / "report", test_eval, baseline, f"{run_id} ({serving})")
        write_model_card(staging, info, metrics)
        final = publish(staging, models_dir, run_id)
    except BaseException:
        discard(staging)
        raise
    print(json.dumps({"run": str(final), "seconds": metrics["training_seconds"], "best_epoch": history["best_epoch"],
                      "test": summary(test_eval), "test_tfidf_baseline": summary(baseline)}, indent=2))
    return final


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default="configs/default.yaml")
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--no-export", action="store_true", help="skip the ONNX export")
    args = parser.parse_args(argv)
    # SIGTERM becomes SystemExit, so the staging directory is removed on the way out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        config = load_config(args.config, args.overrides)
        train(config, export=not args.no_export)
    except (ConfigError, CorpusError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
