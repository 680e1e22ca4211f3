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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default="configs/default.yaml")
    args = parser.parse_args(argv)
    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    paths = {split: getattr(config.data, split) for split in SPLITS}
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
