"""Shared pieces of the benchmark and soak runs: test articles, a real server process, measurements."""

from __future__ import annotations

import asyncio
import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def articles(sentences_per_article: int = 20, count: int = 39) -> tuple[list[str], list[str]]:
    texts = [json.loads(line)["text"] for line in (ROOT / "data/test.jsonl").read_text().splitlines()]
    texts = [t if t.rstrip()[-1:] in ".!?”\"" else t + "." for t in texts]
    groups = [texts[i : i + sentences_per_article] for i in range(0, sentences_per_article * count, sentences_per_article)]
    return [" ".join(g) for g in groups], [t for g in groups for t in g]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024


def start_server(model: str, port: int, **settings: str) -> subprocess.Popen:
    """`python -m serving` on a loopback port, returned once /ready answers 200."""
    env = {**os.environ, "EC_MODEL_DIR": model, **{f"EC_{k.upper()}": str(v) for k, v in settings.items()}}
    process = subprocess.Popen([sys.executable, "-m", "serving", "--port", str(port)], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/ready", timeout=1).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError("the server did not become ready within 120 s")




async def load(url: str, make_request, concurrency: int, requests: int, time_limit: float) -> dict:
    """A bounded load generator: `concurrency` workers send `make_request(i) -> (path, json body)` until
    `requests` were sent or `time_limit` seconds passed. Counts statuses, transport errors, latencies and
    the sentences answered by /v1/classify."""
    latencies, statuses, errors, sentences, sent = [], {}, {}, 0, 0
    deadline = time.perf_counter() + time_limit

    async def worker(client: httpx.AsyncClient):
        nonlocal sent, sentences
        while sent < requests and time.perf_counter() < deadline:
            path, payload = make_request(sent)
            sent += 1
            start = time.perf_counter()
            try:
                if isinstance(payload, bytes):
                    response = await client.post(url + path, content=payload,
                                                 headers={"content-type": "application/json"})
                else:
                    response = await client.post(url + path, json=payload)
            except httpx.HTTPError as exc:
                errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
                continue
            latencies.append(time.perf_counter() - start)
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            if response.status_code == 200 and path == "/v1/classify":
                sentences += sum(len(r["sentences"]) for r in response.json()["results"])

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        started = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
        wall = time.perf_counter() - started
    return {"latencies": latencies, "statuses": statuses, "errors": errors, "sentences": sentences, "wall_s": wall}
