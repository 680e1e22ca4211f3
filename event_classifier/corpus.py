"""Load and validate corpus files (JSON Lines of {"text", "labels", optional "labels_known"})."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np


class CorpusError(ValueError):
    """A corpus problem, always phrased as `file:line: reason`."""


@dataclass(frozen=True)
class Example:
    """One labelled text; `known` is the set of labels that were judged for it."""

    text: str
    labels: frozenset[str]
    known: frozenset[str]
    source: str
    line: int


def _problem(path: Path, line: int, reason: str) -> CorpusError:
    return CorpusError(f"{path}:{line}: {reason}")


def parse_line(raw: str, path: Path, line: int, labels: list[str], strict: bool) -> Example:
    """Parse one corpus line; `strict` also demands sorted labels and no extra keys (the authored corpus)."""
    try:
        obj = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise _problem(path, line, f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(obj, dict):
        raise _problem(path, line, "expected a JSON object")
    text, given = obj.get("text"), obj.get("labels")
    if not isinstance(text, str) or not text.strip():
        raise _problem(path, line, "'text' must be a non-empty string")
    if not isinstance(given, list) or not all(isinstance(x, str) for x in given):
        raise _problem(path, line, "'labels' must be a list of label names")
    unknown = sorted(set(given) - set(labels))
    if unknown:
        raise _problem(path, line, f"unknown label(s) {unknown}; configured labels are {labels}")
    if len(set(given)) != len(given):
        raise _problem(path, line, f"duplicate label in {given}")
    known = obj.get("labels_known", labels)
    if not isinstance(known, list) or not set(known) <= set(labels):
        raise _problem(path, line, f"'labels_known' must be a list drawn from {labels}")
    if not set(given) <= set(known):
        raise _problem(path, line, f"labels {sorted(set(given) - set(known))} are not in labels_known")
    if strict:
        extra = sorted(set(obj) - {"text", "labels"})
        if extra:
            raise _problem(path, line, f"unexpected key(s) {extra}; corpus lines hold only text and labels")
        if given != sorted(given):
            raise _problem(path, line, f"labels must be sorted: {given} should be {sorted(given)}")
        if text != text.strip():
            raise _problem(path, line, "text has leading or trailing whitespace")
    return Example(text, frozenset(given), frozenset(known), str(obj.get("source", "")), line)


def load_corpus(path: str | Path, labels: list[str], strict: bool = False) -> list[Example]:
    """Read a corpus file, raising CorpusError with `file:line: reason` at the first bad line."""
    path = Path(path)
    if not path.is_file():
        raise CorpusError(f"{path}: no such corpus file")
    examples = []
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, 1):
            try:
                decoded = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise _problem(path, number, "not valid UTF-8") from None
            if not decoded.strip():
                raise _problem(path, number, "blank line")
            examples.append(parse_line(decoded, path, number, labels, strict))
    if not examples:
        raise CorpusError(f"{path}: the file holds no examples")
    return examples


def label_matrix(examples: list[Example], labels: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Multi-hot targets and a mask of the judged labels, both shaped (examples, labels)."""
    targets = np.array([[label in ex.labels for label in labels] for ex in examples], dtype=np.float32)
    known = np.array([[label in ex.known for label in labels] for ex in examples], dtype=bool)
    return targets, known


def fingerprint(path: str | Path) -> str:
    """sha256 of a file's bytes, recorded in every model directory for each data file it saw."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
