"""TF-IDF + logistic-regression baseline, trained on the same train split, shown beside every report."""

from __future__ import annotations

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import make_pipeline

from event_classifier.corpus import Example, label_matrix


class TfidfBaseline:
    """Word 1-2-gram TF-IDF features, one logistic regression per label."""

    def __init__(self, labels: list[str]):
        self.labels = labels
        self.pipeline = make_pipeline(
            TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1, lowercase=True),
            OneVsRestClassifier(LogisticRegression(C=8.0, max_iter=2000)),
        )

    def fit(self, examples: list[Example]) -> "TfidfBaseline":
        targets, _ = label_matrix(examples, self.labels)
        self.pipeline.fit([ex.text for ex in examples], targets.astype(int))
        return self

    def scores(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self.pipeline.predict_proba(texts), dtype=np.float32)
