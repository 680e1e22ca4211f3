"""A Hugging Face style model card (README.md with YAML front matter) for a run directory."""

from __future__ import annotations

from pathlib import Path

import yaml

from training.report import metrics_table


def write_model_card(model_dir: Path, info: dict, metrics: dict) -> Path:
    """Write README.md describing the run: labels, thresholds, data, metrics, versions."""
    test = metrics["test"]
    front = {
        "language": ["en"],
        "library_name": "transformers",
        "pipeline_tag": "text-classification",
        "tags": ["multi-label-classification", "event-classification", "news"],
        "base_model": info["base_model"],
        "model-index": [{
            "name": info["run_id"],
            "results": [{
                "task": {"type": "text-classification", "name": "Multi-label event classification"},
                "dataset": {"name": "event-classifier authored corpus (test split)", "type": "jsonl"},
                "metrics": [{"type": "f1", "name": "macro F1", "value": round(test["macro"]["f1"], 4)},
                            {"type": "f1", "name": "micro F1", "value": round(test["micro"]["f1"], 4)}],
            }],
        }],
    }
    history = "\n".join(f"| {e['epoch']} | {e['train_loss']:.4f} | {e['dev_macro_f1']:.4f} |"
                        for e in metrics["training"]["epochs"])
    backends = "\n".join(f"| {name} | {m['dev']['macro']['f1']:.4f} | {m['test']['macro']['f1']:.4f} | "
                         f"{m['test']['micro']['f1']:.4f} |" for name, m in metrics["backends"].items())
    data = "\n".join(f"| {name} | {d['path']} | {d['examples']} | `{d['sha256'][:16]}…` |" for name, d in info["data"].items())
    body = f"""
# {info['run_id']}

Multi-label sentence classifier for news events: {', '.join(info['labels'])}. A sentence gets every label
whose sigmoid score reaches that label's threshold (tuned on the dev split). Fine-tuned from
`{info['base_model']}`, max length {info['max_length']} tokens, git revision `{info['git_revision']}`,
created {info['created_at']}.

## Use

```python
from transformers import pipeline
clf = pipeline("text-classification", model="<this directory>", top_k=None)  # sigmoid scores
```
or serve it: `EC_MODEL_DIR=<this directory> make serve`.

Thresholds ({metrics['serving_backend']} backend): {', '.join(f'{k} {v:.3f}' for k, v in info['thresholds'].items())}

## Test-split metrics ({metrics['serving_backend']} backend; `tfidf` is the TF-IDF baseline)

{metrics_table({'model': test, 'tfidf': metrics['test_baseline']})}

## Backends (each with thresholds tuned on its own dev scores)

| backend | dev macro-F1 | test macro-F1 | test micro-F1 |
|---|---|---|---|
{backends}

## Training

Best epoch {metrics['training']['best_epoch']}, {metrics['training_seconds']} s in all.

| epoch | train loss | dev macro-F1 |
|---|---|---|
{history}

## Data

| split | file | sentences | sha256 |
|---|---|---|---|
{data}

The corpus is written by hand for this project (see docs/data.md in the repository). Limits: English
only; sentence-level; scores measure reported events, not their truth.

Library versions: {', '.join(f'{k} {v}' for k, v in info['versions'].items())}
"""
    path = model_dir / "README.md"
    path.write_text("---\n" + yaml.safe_dump(front, sort_keys=False) + "---\n" + body, encoding="utf-8")
    return path
