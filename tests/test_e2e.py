"""End to end: a real uvicorn process on a free loopback port, posting over HTTP."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tiny_run):
    port = free_port()
    env = {**os.environ, "EC_MODEL_DIR": str(tiny_run), "EC_BACKEND": "onnx"}
    process = subprocess.Popen(
        [sys.executable, "-m", "serving", "--host", "127.0.0.1",
         "--port", str(port)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if httpx.get(f"{url}/ready", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if process.poll() is not None:
            pytest.fail(f"server exited: {process.stdout.read()}")
        time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("server did not become ready in 60 s")
    yield url, process
    if process.poll() is None:
        process.kill()
        process.wait()


def test_article_posted_over_http_comes_back_with_sentence_offsets(server):
    url, _ = server
    article = "Police raided a house in Lahore.\r\nTwo men were arrested — officials said 😀. Nobody was hurt."
    response = httpx.post(f"{url}/v1/classify", json={"texts": [article]}, timeout=10)
    assert response.status_code == 200
    sentences = response.json()["results"][0]["sentences"]
    assert len(sentences) == 3
    assert all(article[s["start"] : s["end"]] == s["text"] for s in sentences)


def test_concurrent_requests_each_get_their_own_results_in_order(server):
    url, _ = server
    texts = [f"Report number {i}: police arrested {i} men. Markets were calm." for i in range(40)]

    def post(text):
        return httpx.post(f"{url}/v1/classify", json={"texts": [text, "A second text."]}, timeout=30).json()

    with ThreadPoolExecutor(16) as pool:
        bodies = list(pool.map(post, texts))
    for text, body in zip(texts, bodies):
        assert body["results"][0]["sentences"][0]["text"] == text.split(" Markets")[0]
        assert body["results"][1]["sentences"][0]["text"] == "A second text."


def test_sigterm_finishes_cleanly_with_exit_status_zero(server):
    url, process = server
    assert httpx.get(f"{url}/health", timeout=5).status_code == 200
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0
