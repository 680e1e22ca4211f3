"""The training pipeline on a tiny model: a complete, self-describing, reloadable run directory."""

from __future__ import annotations

import json

import numpy as np
import pytest

from event_classifier.artifact import INFO_FILE, read_info
from event_classifier.config import load_config
from event_classifier.corpus import CorpusError
from event_classifier.predictor import Predictor
from tests.conftest import LABELS, SENTENCES


def test_published_run_directory_is_complete_and_latest_points_at_it(tiny_run):
    for name in ["config.json", "model.safetensors", "tokenizer.json", INFO_FILE, "metrics.json", "README.md",
                 "onnx/model.onnx", "onnx/model.int8.onnx", "report/test.md", "report/test_pr.png",
                 "report/test_scores.png"]:
        assert (tiny_run / name).is_file(), name
    assert (tiny_run.parent / "latest").resolve() == tiny_run.resolve()
    assert not list(tiny_run.parent.glob(".staging-*"))
    assert not list(tiny_run.rglob("*.pkl")) and not list(tiny_run.rglob("*.bin"))


def test_model_config_declares_multi_label_problem_and_label_maps(tiny_run):
    config = json.loads((tiny_run / "config.json").read_text())
    assert config["problem_type"] == "multi_label_classification"
    assert config["id2label"] == {str(i): label for i, label in enumerate(LABELS)}
    assert config["label2id"] == {label: i for i, label in enumerate(LABELS)}


def test_info_json_describes_the_run_and_round_trips_exactly(tiny_run):
    raw = (tiny_run / INFO_FILE).read_text()
    info = read_info(tiny_run)
    assert json.dumps(info, indent=2, ensure_ascii=False) + "\n" == raw
    assert info["labels"] == LABELS and set(info["thresholds"]) == set(LABELS)
    assert all(0.0 <= t <= 1.0 for t in info["thresholds"].values())
    for split in ("train", "dev", "test"):
        assert len(info["data"][split]["sha256"]) == 64 and info["data"][split]["examples"] == len(SENTENCES)
    assert info["config"]["training"]["epochs"] == 2
    assert {"torch", "transformers", "python"} <= set(info["versions"])
    assert info["max_length"] == 32 and info["git_revision"] and info["created_at"]
    assert "model.safetensors" in info["checksums"]


def test_metrics_json_holds_test_scores_baseline_and_every_backend(tiny_run):
    metrics = json.loads((tiny_run / "metrics.json").read_text())
    assert set(metrics["backends"]) == {"onnx-fp32", "onnx"}
    assert set(metrics["test"]["labels"]) == set(LABELS)
    assert 0.0 <= metrics["test"]["macro"]["f1"] <= 1.0
    assert set(metrics["test_baseline"]["labels"]) == set(LABELS)
    assert len(metrics["training"]["epochs"]) == 2


def test_training_loss_falls_on_the_tiny_corpus(tiny_run):
    epochs = json.loads((tiny_run / "metrics.json").read_text())["training"]["epochs"]
    assert epochs[-1]["train_loss"] < epochs[0]["train_loss"]


def test_reloaded_run_predicts_every_label_with_scores_in_unit_interval(tiny_run):
    predictor = Predictor(tiny_run, backend="torch")
    docs = predictor.classify(["Police arrested two men. Later a bomb killed three people."])
    assert len(docs[0].sentences) == 2
    for sentence in docs[0].sentences:
        assert set(sentence.scores) == set(LABELS)
        assert all(0.0 <= s <= 1.0 for s in sentence.scores.values())


def test_onnx_fp32_scores_match_torch(tiny_run):
    texts = [text for text, _ in SENTENCES]
    torch_scores, _ = Predictor(tiny_run, backend="torch").scores(texts)
    onnx_scores, _ = Predictor(tiny_run, backend="onnx-fp32").scores(texts)
    np.testing.assert_allclose(torch_scores, onnx_scores, atol=1e-4)


def test_plain_transformers_pipeline_gives_sigmoid_scores(tiny_run):
    from transformers import pipeline

    classifier = pipeline("text-classification", model=str(tiny_run), top_k=None)
    out = classifier(["Police raided a house."])[0]
    scores = {item["label"]: item["score"] for item in out}
    assert set(scores) == set(LABELS)
    expected, _ = Predictor(tiny_run, backend="torch").scores(["Police raided a house."])
    np.testing.assert_allclose([scores[label] for label in LABELS], expected[0], atol=1e-5)
    assert abs(sum(scores.values()) - 1.0) > 1e-3 or len(LABELS) == 1  # sigmoid, not softmax


def test_a_run_that_fails_midway_leaves_latest_and_published_runs_untouched(tiny_config_file, tiny_run, monkeypatch):
    import training.train as train_module

    models_dir = tiny_run.parent
    before = sorted(p.name for p in models_dir.iterdir())
    latest = (models_dir / "latest").resolve()

    def broken(*args, **kwargs):
        raise RuntimeError("disk full while writing the model card")

    monkeypatch.setattr(train_module, "write_model_card", broken)
    with pytest.raises(RuntimeError):
        train_module.train(load_config(tiny_config_file), export=False, progress=False)
    assert sorted(p.name for p in models_dir.iterdir()) == before
    assert (models_dir / "latest").resolve() == latest


def test_bad_data_stops_training_before_anything_is_written(tiny_config_file, tmp_path):
    from training.train import train

    broken = tmp_path / "train.jsonl"
    broken.write_text('{"text": "Police held two men.", "labels": ["arrest", "kidnap"]}\n')
    config = load_config(tiny_config_file, [f"data.train={broken}", f"output.models_dir={tmp_path / 'models'}"])
    with pytest.raises(CorpusError, match=r"train.jsonl:1: unknown label\(s\) \['kidnap'\]"):
        train(config, progress=False)
    assert not (tmp_path / "models").exists()


def test_a_fifth_label_is_a_config_and_data_change(tiny_config_file, tmp_path):
    from training.train import train

    rows = [(t, l + (["protest"] if "protest" in t.lower() or i % 4 == 0 else [])) for i, (t, l) in enumerate(SENTENCES)]
    from tests.conftest import write_jsonl

    path = write_jsonl(tmp_path / "five.jsonl", rows)
    config = load_config(tiny_config_file, ["labels=[raid, casualty, arrest, allegation, protest]",
                                            f"data.train={path}", f"data.dev={path}", f"data.test={path}",
                                            f"output.models_dir={tmp_path / 'models'}", "training.epochs=1"])
    run = train(config, export=False, progress=False)
    assert Predictor(run).labels == LABELS + ["protest"]
