"""Loading code never unpickles and never runs code shipped with a model."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted(p for d in ("event_classifier", "training", "serving") for p in (ROOT / d).rglob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_pickle_and_no_remote_code_in_the_source(path):
    text = path.read_text(encoding="utf-8")
    for forbidden in ("import pickle", "torch.load(", "joblib", "trust_remote_code"):
        assert forbidden not in text, f"{path} uses {forbidden}"
