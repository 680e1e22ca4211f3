"""Model lifecycle: swaps under load lose nothing, bad directories are refused, killed training breaks nothing."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time

import httpx
import pytest
from fastapi.testclient import TestClient

from event_classifier.artifact import INFO_FILE, point_latest
from serving.app import create_app
from serving.settings import Settings
from bench.harness import free_port, start_server


def clone_run(run, models_dir, run_id):
    """A second published run: the same weights under a new run id."""
    target = models_dir / run_id
    shutil.copytree(run, target)
    info = json.loads((target / INFO_FILE).read_text())
    info["run_id"] = run_id
    (target / INFO_FILE).write_text(json.dumps(info))
    return target


@pytest.fixture()
def models_dir(tiny_run, tmp_path):
    directory = tmp_path / "models"
    directory.mkdir()
    clone_run(tiny_run, directory, "run-a")
    point_latest(directory, "run-a")
    return directory


def test_sighup_swaps_models_under_continuous_load_with_zero_failed_requests(models_dir):
    port = free_port()
    server = start_server(str(models_dir / "latest"), port)
    url = f"http://127.0.0.1:{port}"
    try:
        statuses, served_by, stop = [], set(), threading.Event()

        def load():
            with httpx.Client(timeout=30) as client:
                while not stop.is_set():
                    r = client.post(f"{url}/v1/classify", json={"texts": ["Police raided a house. Two were held."]})
                    statuses.append(r.status_code)
                    if r.status_code == 200:
                        served_by.add(r.json()["model"]["id"])

        threads = [threading.Thread(target=load) for _ in range(6)]
        for t in threads:
            t.start()
        time.sleep(1.5)
        clone_run(models_dir / "run-a", models_dir, "run-b")
        point_latest(models_dir, "run-b")
        server.send_signal(signal.SIGHUP)
        deadline = time.time() + 30
        while "run-b" not in served_by and time.time() < deadline:
            time.sleep(0.1)
        time.sleep(1.0)
        stop.set()
        for t in threads:
            t.join()
        assert served_by == {"run-a", "run-b"}
        assert len(statuses) > 20 and set(statuses) == {200}
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.parametrize("damage, reason", [
    (lambda d: (d / "model.safetensors").write_bytes(b"truncated"), "checksum mismatch"),
    (lambda d: (d / "tokenizer.json").unlink(), "missing ['tokenizer.json']"),
    (lambda d: (d / "config.json").write_text(
        json.loads(json.dumps((d / "config.json").read_text())).replace('"raid"', '"protest"')), "id2label"),
])
def test_admin_reload_refuses_a_broken_directory_and_keeps_serving(models_dir, damage, reason):
    settings = Settings(model_dir=str(models_dir / "latest"), api_keys=["k"])
    auth = {"Authorization": "Bearer k"}
    with TestClient(create_app(settings)) as client:
        broken = clone_run(models_dir / "run-a", models_dir, "run-broken")
        damage(broken)
        point_latest(models_dir, "run-broken")
        response = client.post("/admin/reload", headers=auth)
        assert response.status_code == 422 and reason in response.json()["error"]
        after = client.post("/v1/classify", json={"texts": ["Police held two men."]}, headers=auth)
        assert after.status_code == 200 and after.json()["model"]["id"] == "run-a"


def test_admin_reload_needs_a_key_and_swaps_to_the_new_run(models_dir):
    settings = Settings(model_dir=str(models_dir / "latest"), api_keys=["k"])
    with TestClient(create_app(settings)) as client:
        clone_run(models_dir / "run-a", models_dir, "run-b")
        point_latest(models_dir, "run-b")
        assert client.post("/admin/reload").status_code == 401
        response = client.post("/admin/reload", headers={"Authorization": "Bearer k"})
        assert response.json() == {"status": "reloaded", "model": "run-b"}


KILL_DURING = {
    "training": "training.finetune.fit",
    "publishing": "event_classifier.artifact.point_latest",
}


@pytest.mark.parametrize("stage", list(KILL_DURING))
def test_killing_training_leaves_latest_and_published_runs_intact(tiny_config_file, tiny_run, tmp_path, stage):
    models_dir = tmp_path / "models"
    shutil.copytree(tiny_run.parent, models_dir, symlinks=True)
    before = {p.name: sorted(q.name for q in p.rglob("*")) for p in models_dir.iterdir() if not p.name.startswith(".")}
    latest = os.readlink(models_dir / "latest")
    marker = tmp_path / "reached"
    module, _, name = KILL_DURING[stage].rpartition(".")
    # Run the real CLI, but make the chosen stage announce itself and then hang until the process is killed.
    script = (
        f"import {module} as m, pathlib, time\n"
        f"def hang(*a, **k):\n    pathlib.Path({str(marker)!r}).touch()\n    time.sleep(600)\n"
        f"m.{name} = hang\n"
        "import training.train as t, sys\n"
        f"sys.exit(t.main(['--config', {str(tiny_config_file)!r}, '--set', 'output.models_dir={models_dir}', '--no-export']))\n"
    )
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while not marker.exists() and time.time() < deadline and process.poll() is None:
        time.sleep(0.1)
    assert marker.exists(), "the run never reached the stage to kill it in"
    process.kill()
    process.wait()
    assert os.readlink(models_dir / "latest") == latest
    for name, files in before.items():
        assert sorted(q.name for q in (models_dir / name).rglob("*")) == files
    from event_classifier.artifact import read_info

    read_info(models_dir / "latest")  # still loads, checksums intact
