"""The one predictor: evaluation, the command line and the server all score text through it."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

from event_classifier.artifact import read_info
from event_classifier.splitting import Span, split_sentences

Backend = Literal["torch", "onnx", "onnx-fp32"]
ONNX_FILES = {"onnx": "onnx/model.int8.onnx", "onnx-fp32": "onnx/model.onnx"}


@dataclass
class SentencePrediction:
    text: str
    start: int
    end: int
    scores: dict[str, float]
    labels: list[str]
    truncated: bool


@dataclass
class DocumentPrediction:
    labels: list[str]
    scores: dict[str, float]
    sentences: list[SentencePrediction]


def sigmoid(logits: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-logits))


class _TorchEngine:
    def __init__(self, model_dir: Path, threads: int | None):
        import torch
        from transformers import AutoModelForSequenceClassification

        if threads:
            torch.set_num_threads(threads)
        self._torch = torch
        self.model = AutoModelForSequenceClassification.from_pretrained(model_dir, local_files_only=True).eval()

    def __call__(self, input_ids: np.ndarray, attention_mask: np.ndarray) -> np.ndarray:
        torch = self._torch
        with torch.inference_mode():
            out = self.model(input_ids=torch.from_numpy(input_ids), attention_mask=torch.from_numpy(attention_mask))
        return out.logits.float().numpy()


class _OnnxEngine:
    def __init__(self, path: Path, threads: int | None):
        import onnxruntime as ort

        if not path.is_file():
            raise FileNotFoundError(f"{path}: no ONNX export in this model directory (run `make export`)")
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or os.cpu_count() or 1
        options.inter_op_num_threads = 1
        # Idle engine threads must sleep, not spin: in the server they share the cores with the event loop.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}

    def __call__(self, input_ids: np.ndarray, attention_mask: np.ndarray) -> np.ndarray:
        feeds = {"input_ids": input_ids, "attention_mask": attention_mask}
        if "token_type_ids" in self.inputs:
            feeds["token_type_ids"] = np.zeros_like(input_ids)
        return self.session.run(None, {k: v for k, v in feeds.items() if k in self.inputs})[0]


class Predictor:
    """Scores sentences with a published model directory, on torch or ONNX Runtime.

    Not safe to call from several threads at once (the tokenizer is shared): the server funnels all
    calls through one worker thread.
    """

    def __init__(self, model_dir: str | Path, backend: Backend = "torch", threads: int | None = None,
                 batch_tokens: int = 512, verify: bool = True):
        from transformers import AutoTokenizer

        self.model_dir = Path(model_dir).resolve()
        self.info = read_info(self.model_dir, verify=verify)
        self.run_id: str = self.info["run_id"]
        self.labels: list[str] = list(self.info["labels"])
        self.thresholds = np.array([self.info["thresholds"][label] for label in self.labels], dtype=np.float32)
        self.max_length: int = int(self.info["max_length"])
        self.backend = backend
        self.batch_tokens = batch_tokens
        self.tokenizer = AutoTokenizer.from_pretrained(self.model_dir, local_files_only=True)
        if backend == "torch":
            self._engine = _TorchEngine(self.model_dir, threads)
        elif backend in ONNX_FILES:
            self._engine = _OnnxEngine(self.model_dir / ONNX_FILES[backend], threads)
        else:
            raise ValueError(f"unknown backend {backend!r}; choose torch, onnx or onnx-fp32")

    def encode(self, texts: list[str]) -> tuple[list[list[int]], np.ndarray]:
        """Token ids per text (cut to max_length) and whether each text was truncated."""
        encoded = self.tokenizer(texts, truncation=True, max_length=self.max_length)
        truncated = np.array([bool(e.overflowing) for e in encoded.encodings], dtype=bool)
        return encoded["input_ids"], truncated

    def logits(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Raw logits (texts, labels) and truncation flags."""
        ids, truncated = self.encode(texts)
        return self.logits_from_ids(ids), truncated

    def logits_from_ids(self, ids: list[list[int]]) -> np.ndarray:
        """Run the engine over token ids in length-sorted batches that fit the token budget."""
        out = np.zeros((len(ids), len(self.labels)), dtype=np.float32)
        lengths = np.array([len(x) for x in ids], dtype=np.int64)
        order = np.argsort(lengths, kind="stable")
        start = 0
        while start < len(order):
            # The longest item decides a batch's padded width (order is ascending): grow while it fits.
            end = start + 1
            while end < len(order) and lengths[order[end]] * (end + 1 - start) <= self.batch_tokens:
                end += 1
            batch = order[start:end]
            width = int(lengths[batch].max())
            input_ids = np.full((len(batch), width), self.tokenizer.pad_token_id or 0, dtype=np.int64)
            mask = np.zeros((len(batch), width), dtype=np.int64)
            for row, index in enumerate(batch):
                input_ids[row, : lengths[index]] = ids[index]
                mask[row, : lengths[index]] = 1
            out[batch] = self._engine(input_ids, mask)
            start = end
        return out

    def scores(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Sigmoid scores (texts, labels) and truncation flags."""
        logits, truncated = self.logits(texts)
        return sigmoid(logits), truncated

    def threshold_vector(self, overrides: dict[str, float] | None = None) -> np.ndarray:
        """The model's tuned thresholds with optional per-label overrides."""
        thresholds = self.thresholds.copy()
        for label, value in (overrides or {}).items():
            thresholds[self.labels.index(label)] = value
        return thresholds

    def assemble(self, text: str, spans: list[Span], scores: np.ndarray, truncated: np.ndarray,
                 thresholds: np.ndarray) -> DocumentPrediction:
        """Turn one text's sentence scores into its sentence and document predictions."""
        sentences = []
        for span, row, cut in zip(spans, scores, truncated):
            sentences.append(SentencePrediction(
                text=text[span.start : span.end], start=span.start, end=span.end,
                scores={label: float(s) for label, s in zip(self.labels, row)},
                labels=[label for label, s, t in zip(self.labels, row, thresholds) if s >= t],
                truncated=bool(cut),
            ))
        doc = scores.max(axis=0) if len(spans) else np.zeros(len(self.labels))
        return DocumentPrediction(
            labels=[label for label in self.labels if any(label in s.labels for s in sentences)],
            scores={label: float(s) for label, s in zip(self.labels, doc)},
            sentences=sentences,
        )

    def classify(self, texts: list[str], split: bool = True,
                 thresholds: dict[str, float] | None = None) -> list[DocumentPrediction]:
        """Split each text into sentences (or not), score every sentence, and assemble the results."""
        spans, flat = split_texts(texts, split)
        logits, truncated = self.logits(flat)
        return self.assemble_all(texts, spans, sigmoid(logits), truncated, self.threshold_vector(thresholds))

    def assemble_all(self, texts: list[str], spans: list[list[Span]], scores: np.ndarray, truncated: np.ndarray,
                     thresholds: np.ndarray) -> list[DocumentPrediction]:
        """Hand each text its own rows of the flat (all sentences of all texts) scores."""
        results, offset = [], 0
        for text, text_spans in zip(texts, spans):
            n = len(text_spans)
            results.append(self.assemble(text, text_spans, scores[offset : offset + n],
                                         truncated[offset : offset + n], thresholds))
            offset += n
        return results


def split_texts(texts: list[str], split: bool) -> tuple[list[list[Span]], list[str]]:
    """Each text's scoring spans, and all their sentences in one flat list (the unit of batching)."""
    spans = [units(text, split) for text in texts]
    return spans, [text[s.start : s.end] for text, text_spans in zip(texts, spans) for s in text_spans]


def units(text: str, split: bool) -> list[Span]:
    """The spans a text is scored in: its sentences, or the whole (stripped) text as one unit."""
    spans = split_sentences(text) if split else []
    if not spans and text.strip():
        left = len(text) - len(text.lstrip())
        spans = [Span(left, left + len(text.strip()))]
    return spans
