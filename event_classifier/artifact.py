"""The self-describing model directory: its info JSON, checksums, and atomic publishing."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from pathlib import Path
from typing import Any

INFO_FILE = "event_classifier.json"
METRICS_FILE = "metrics.json"
FORMAT_VERSION = 1
REQUIRED_FILES = ("config.json", "model.safetensors", "tokenizer.json", INFO_FILE)


class ModelDirError(ValueError):
    """A model directory that must not be served: missing, incomplete, corrupted or inconsistent."""


def write_json(path: Path, data: Any) -> None:
    """Write JSON atomically: a temporary file beside the target, fsynced, then renamed over it."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=2, ensure_ascii=False, sort_keys=False)
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def checksum_tree(model_dir: Path) -> dict[str, str]:
    """sha256 of every file in the directory except the info JSON (which records them)."""
    return {
        str(p.relative_to(model_dir)): sha256_file(p)
        for p in sorted(model_dir.rglob("*"))
        if p.is_file() and p.name != INFO_FILE and not p.name.startswith(".")
    }


def read_info(model_dir: str | Path, verify: bool = True) -> dict[str, Any]:
    """Read and check a model directory's info JSON; `verify` also checks every recorded checksum."""
    model_dir = Path(model_dir)
    if not model_dir.is_dir():
        raise ModelDirError(f"{model_dir}: no model directory here (train one with `make train`)")
    missing = [name for name in REQUIRED_FILES if not (model_dir / name).is_file()]
    if missing:
        raise ModelDirError(f"{model_dir}: incomplete model directory, missing {missing}")
    try:
        info = json.loads((model_dir / INFO_FILE).read_text(encoding="utf-8"))
        config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ModelDirError(f"{model_dir}: unreadable JSON ({exc})") from None
    labels = info.get("labels")
    if not labels or sorted(info.get("thresholds", {})) != sorted(labels):
        raise ModelDirError(f"{model_dir}: {INFO_FILE} must give a threshold for every label")
    id2label = [config.get("id2label", {}).get(str(i)) for i in range(len(labels))]
    if id2label != labels or len(config.get("id2label", {})) != len(labels):
        raise ModelDirError(f"{model_dir}: config.json id2label {config.get('id2label')} disagrees with labels {labels}")
    if config.get("problem_type") != "multi_label_classification":
        raise ModelDirError(f"{model_dir}: config.json problem_type must be multi_label_classification")
    if verify:
        for name, expected in info.get("checksums", {}).items():
            path = model_dir / name
            if not path.is_file():
                raise ModelDirError(f"{model_dir}: {name} is listed in the checksums but missing")
            if sha256_file(path) != expected:
                raise ModelDirError(f"{model_dir}: checksum mismatch for {name} (corrupted or modified)")
    return info


def new_staging_dir(models_dir: Path, run_id: str) -> Path:
    """A hidden directory to build a run in; it only becomes a run when `publish` renames it.

    Staging directories left by runs that were killed (their owner process is gone) are removed first.
    """
    models_dir.mkdir(parents=True, exist_ok=True)
    for old in models_dir.glob(".staging-*"):
        if not _owner_alive(old):
            shutil.rmtree(old, ignore_errors=True)
    staging = models_dir / f".staging-{run_id}"
    staging.mkdir()
    (staging / ".owner").write_text(str(os.getpid()))
    return staging


def _owner_alive(staging: Path) -> bool:
    try:
        os.kill(int((staging / ".owner").read_text()), 0)
    except (OSError, ValueError):
        return False
    return True


def publish(staging: Path, models_dir: Path, run_id: str) -> Path:
    """Seal a staged run (checksums), rename it to `<run-id>`, then atomically point `latest` at it."""
    info_path = staging / INFO_FILE
    info = json.loads(info_path.read_text(encoding="utf-8"))
    info["checksums"] = checksum_tree(staging)
    write_json(info_path, info)
    (staging / ".owner").unlink(missing_ok=True)
    final = models_dir / run_id
    os.replace(staging, final)
    point_latest(models_dir, run_id)
    return final


def point_latest(models_dir: Path, run_id: str) -> None:
    """Switch the `latest` symlink to a run with one atomic rename."""
    link = models_dir / "latest"
    tmp = models_dir / f".latest-{uuid.uuid4().hex}"
    os.symlink(run_id, tmp)
    os.replace(tmp, link)


def discard(staging: Path) -> None:
    """Remove a staging directory left by a failed run."""
    shutil.rmtree(staging, ignore_errors=True)
