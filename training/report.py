"""Evaluation report: Markdown tables, precision-recall curves, score histograms, confident errors."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from sklearn.metrics import precision_recall_curve  # noqa: E402

TOP_ERRORS = 20


def metrics_table(evaluations: dict[str, dict]) -> str:
    """A Markdown table of per-label and averaged metrics, one column group per scorer."""
    names = list(evaluations)
    head = "| label | " + " | ".join(f"{n} P | {n} R | {n} F1" for n in names) + " | support |"
    rule = "|---|" + "---|---|---|" * len(names) + "---|"
    first = evaluations[names[0]]
    rows = []
    for label, m in first["labels"].items():
        cells = " | ".join(
            f"{evaluations[n]['labels'][label]['precision']:.3f} | {evaluations[n]['labels'][label]['recall']:.3f} | "
            f"{evaluations[n]['labels'][label]['f1']:.3f}" for n in names)
        rows.append(f"| {label} | {cells} | {m['support']} |")
    for avg in ("micro", "macro"):
        cells = " | ".join(f"{evaluations[n][avg]['precision']:.3f} | {evaluations[n][avg]['recall']:.3f} | "
                           f"{evaluations[n][avg]['f1']:.3f}" for n in names)
        rows.append(f"| **{avg}** | {cells} | |")
    return "\n".join([head, rule, *rows])


def _plot_pr(path: Path, evaluation) -> None:
    labels = list(evaluation.thresholds)
    targets, known = evaluation.targets, evaluation.known
    fig, axes = plt.subplots(1, len(labels), figsize=(4 * len(labels), 3.6), squeeze=False)
    for ax, (j, label) in zip(axes[0], enumerate(labels)):
        rows = known[:, j]
        y, s = targets[rows, j], evaluation.scores[rows, j]
        if 0 < y.sum() < len(y):
            precision, recall, cuts = precision_recall_curve(y, s)
            ax.plot(recall, precision)
            t = evaluation.thresholds[label]
            k = int(np.argmin(np.abs(np.append(cuts, np.inf) - t)))
            ax.scatter([recall[k]], [precision[k]], color="red", zorder=3, label=f"threshold {t:.2f}")
            ax.legend(loc="lower left")
        ax.set(title=label, xlabel="recall", ylabel="precision", xlim=(0, 1.02), ylim=(0, 1.02))
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def _plot_hist(path: Path, evaluation) -> None:
    labels = list(evaluation.thresholds)
    targets, known = evaluation.targets, evaluation.known
    fig, axes = plt.subplots(1, len(labels), figsize=(4 * len(labels), 3.2), squeeze=False)
    bins = np.linspace(0, 1, 26)
    for ax, (j, label) in zip(axes[0], enumerate(labels)):
        rows = known[:, j]
        y, s = targets[rows, j].astype(bool), evaluation.scores[rows, j]
        ax.hist(s[~y], bins=bins, alpha=0.6, label="negatives", log=True)
        ax.hist(s[y], bins=bins, alpha=0.6, label="positives", log=True)
        ax.axvline(evaluation.thresholds[label], color="red", linestyle="--")
        ax.set(title=label, xlabel="score")
        ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def _errors(evaluation) -> list[str]:
    lines = []
    targets, known = evaluation.targets, evaluation.known
    for j, label in enumerate(evaluation.thresholds):
        t = evaluation.thresholds[label]
        s = evaluation.scores[:, j]
        wrong = known[:, j] & ((s >= t) != targets[:, j].astype(bool))
        order = [i for i in np.argsort(-np.abs(s - t)) if wrong[i]][:TOP_ERRORS]
        lines += [f"\n### {label}: {int(wrong.sum())} errors, the {len(order)} most confident\n",
                  "| score | gold | text |", "|---|---|---|"]
        for i in order:
            text = evaluation.examples[i].text.replace("|", "\\|").replace("\n", " ")
            gold = "positive" if targets[i, j] else "negative"
            lines.append(f"| {s[i]:.3f} | {gold} | {text} |")
    return lines


def write_report(directory: Path, evaluation, baseline, model_name: str) -> Path:
    """Write `<name>.md` with its plots into `directory`; returns the Markdown path."""
    directory.mkdir(parents=True, exist_ok=True)
    name = evaluation.name
    _plot_pr(directory / f"{name}_pr.png", evaluation)
    _plot_hist(directory / f"{name}_scores.png", evaluation)
    tables = {"model": evaluation.metrics, "tfidf": baseline.metrics} if baseline else {"model": evaluation.metrics}
    lines = [
        f"# Evaluation of {model_name} on `{name}` ({len(evaluation.examples)} texts)\n",
        "Thresholds: " + ", ".join(f"{k} {v:.3f}" for k, v in evaluation.thresholds.items()) + "\n",
        "`tfidf` is a TF-IDF + logistic-regression baseline trained on the same train split, thresholds tuned on dev.\n",
        metrics_table(tables),
        f"\n![precision-recall curves, threshold marked]({name}_pr.png)\n",
        f"![score histograms]({name}_scores.png)\n",
        "## Most confident errors",
        *_errors(evaluation),
    ]
    path = directory / f"{name}.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
