"""End to end: a real uvicorn process on a free loopback port, posting over HTTP."""

from __future__ import annotations

import signal
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from bench.harness import free_port, start_server


@pytest.fixture(scope="module")
def server(tiny_run):
    """`python -m serving` on a free loopback port, serving the tiny run through the int8 engine."""
    port = free_port()
    process = start_server(str(tiny_run), port, backend="onnx")
    yield f"http://127.0.0.1:{port}", process
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
