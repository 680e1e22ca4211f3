"""`make data-check`: validate the corpus splits and find exact and near-duplicate sentences.

    python -m event_classifier.datacheck [--config configs/default.yaml]

Near-duplicates are pairs whose normalised texts share character 5-grams with Jaccard >= 0.8.
Duplicates inside one split and across splits are errors.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer

from event_classifier.config import ConfigError, load_config
from event_classifier.corpus import CorpusError, Example, load_corpus

NEAR_DUPLICATE = 0.8
SPLITS = ("train", "dev", "test")


@dataclass(frozen=True)
class Item:
    split: str
    path: str
    example: Example

    @property
    def where(self) -> str:
        return f"{self.path}:{self.example.line}"


def normalise(text: str) -> str:
    """Lowercase, letters and digits only, single spaces: what near-duplicate detection compares."""
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]|_", " ", text.lower())).strip()


def near_duplicate_pairs(texts: list[str], threshold: float = NEAR_DUPLICATE, chunk: int = 512):
    """Index pairs (i < j) whose character 5-gram sets have Jaccard similarity >= threshold."""
    grams = CountVectorizer(analyzer="char", ngram_range=(5, 5), binary=True, lowercase=False,
                            dtype=np.int32).fit_transform([f" {t} " for t in texts]).tocsr()
    sizes = np.asarray(grams.sum(axis=1)).ravel()
    transposed = grams.T.tocsc()
    for start in range(0, len(texts), chunk):
        shared = (grams[start : start + chunk] @ transposed).toarray()
        union = sizes[start : start + chunk, None] + sizes[None, :] - shared
        jaccard = shared / np.maximum(union, 1)
        rows, cols = np.nonzero(jaccard >= threshold)
        for r, c in zip(rows, cols):
            i = start + r
            if i < c:
                yield i, int(c), float(jaccard[r, c])


def check_corpus(paths: dict[str, str], labels: list[str]) -> list[str]:
    """Every problem found, as `file:line: reason` lines; an empty list means the corpus is clean."""
    problems, items = [], []
    for split, path in paths.items():
        try:
            items += [Item(split, path, ex) for ex in load_corpus(path, labels, strict=True)]
        except CorpusError as exc:
            problems.append(str(exc))
    if problems:
        return problems
    texts = [normalise(item.example.text) for item in items]
    for i, j, score in near_duplicate_pairs(texts):
        a, b = items[i], items[j]
        kind = "exact duplicate" if texts[i] == texts[j] else f"near-duplicate (5-gram Jaccard {score:.2f})"
        where = "within " + a.split if a.split == b.split else f"across splits {a.split}/{b.split}"
        problems.append(f"{b.where}: {kind} of {a.where} ({where})")
    return problems


def stats_markdown(paths: dict[str, str], labels: list[str]) -> str:
    """The data card's tables: counts per label and split, co-occurrence, and sentence lengths."""
    splits = {split: load_corpus(path, labels, strict=True) for split, path in paths.items()}
    lines = ["| split | sentences | " + " | ".join(labels) + " | no label | 2+ labels | lowercased |",
             "|---|---|" + "---|" * (len(labels) + 3)]
    for split, examples in splits.items():
        n = len(examples)
        empty = sum(not ex.labels for ex in examples)
        lower = sum(ex.text == ex.text.lower() for ex in examples)
        lines.append(f"| {split} | {n} | " + " | ".join(str(sum(l in ex.labels for ex in examples)) for l in labels)
                     + f" | {empty} ({100 * empty / n:.0f} %) | {sum(len(ex.labels) > 1 for ex in examples)} | {lower} |")
    everything = [ex for examples in splits.values() for ex in examples]
    lines += ["", "| co-occurrence (all splits) | " + " | ".join(labels) + " |", "|---|" + "---|" * len(labels)]
    for a in labels:
        lines.append(f"| {a} | " + " | ".join(str(sum(a in ex.labels and b in ex.labels for ex in everything))
                                              for b in labels) + " |")
    bins = [(1, 10), (11, 20), (21, 30), (31, 40), (41, 50), (51, 75)]
    lines += ["", "| words | " + " | ".join(splits) + " |", "|---|" + "---|" * len(splits)]
    for low, high in bins:
        lines.append(f"| {low}-{high} | " + " | ".join(
            str(sum(low <= len(ex.text.split()) <= high for ex in examples)) for examples in splits.values()) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default="configs/default.yaml")
    parser.add_argument("--stats", action="store_true", help="print the data card's tables instead")
    args = parser.parse_args(argv)
    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    paths = {split: getattr(config.data, split) for split in SPLITS}
    if args.stats:
        print(stats_markdown(paths, config.labels))
        return 0
    problems = check_corpus(paths, config.labels)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"data-check: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    print(f"data-check: {', '.join(paths.values())} are valid, with no duplicates within or across splits")
    return 0


if __name__ == "__main__":
    sys.exit(main())
