"""`make bench`: end-to-end throughput and latency of the real server against the naive baseline and the raw engine.

In one run, on the same sentences (the authored test split, grouped into 20-sentence articles):
  1. naive: transformers `pipeline("text-classification")`, one sentence per call (torch);
  2. engine: the Predictor's ONNX int8 engine on all sentences at once (no HTTP, no splitting);
  3. server: `python -m serving` on a free loopback port, driven by a bounded load generator at
     concurrency 1, 8 and 32 (fixed request count and time limit per level).
Writes bench/results/results.json and bench/results/results.png, and prints a table with the ratios.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def articles(sentences_per_article: int = 20, count: int = 39) -> tuple[list[str], list[str]]:
    texts = [json.loads(line)["text"] for line in (ROOT / "data/test.jsonl").read_text().splitlines()]
    texts = [t if t.rstrip()[-1:] in ".!?”\"" else t + "." for t in texts]
    groups = [texts[i : i + sentences_per_article] for i in range(0, sentences_per_article * count, sentences_per_article)]
    return [" ".join(g) for g in groups], [t for g in groups for t in g]


def median_rate(fn, n_items: int, repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return n_items / statistics.median(times)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024


async def drive(url: str, docs: list[str], concurrency: int, requests: int, time_limit: float) -> dict:
    latencies, statuses, sentences = [], {}, 0
    next_index = 0
    deadline = time.perf_counter() + time_limit

    async def worker(client: httpx.AsyncClient):
        nonlocal next_index, sentences
        while next_index < requests and time.perf_counter() < deadline:
            doc = docs[next_index % len(docs)]
            next_index += 1
            start = time.perf_counter()
            response = await client.post(f"{url}/v1/classify", json={"texts": [doc]})
            latencies.append(time.perf_counter() - start)
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            if response.status_code == 200:
                sentences += len(response.json()["results"][0]["sentences"])

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        started = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
        wall = time.perf_counter() - started
    ms = np.array(latencies) * 1000
    return {"concurrency": concurrency, "requests": len(latencies), "statuses": statuses,
            "sentences_per_s": sentences / wall, "p50_ms": float(np.percentile(ms, 50)),
            "p95_ms": float(np.percentile(ms, 95)), "p99_ms": float(np.percentile(ms, 99))}


def start_server(model: str, port: int) -> subprocess.Popen:
    env = {**os.environ, "EC_MODEL_DIR": model}
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
    raise SystemExit("the server did not become ready within 120 s")


def plot(results: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    levels = results["server"]
    c = [r["concurrency"] for r in levels]
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    left.plot(c, [r["sentences_per_s"] for r in levels], "o-", label="server end to end")
    left.axhline(results["engine_sentences_per_s"], color="green", linestyle="--", label="raw int8 engine")
    left.axhline(results["naive_sentences_per_s"], color="red", linestyle=":", label="naive pipeline")
    left.set(xscale="log", xlabel="concurrency", ylabel="sentences / s", title="throughput")
    left.legend()
    for key in ("p50_ms", "p95_ms", "p99_ms"):
        right.plot(c, [r[key] for r in levels], "o-", label=key.replace("_ms", ""))
    right.set(xscale="log", xlabel="concurrency", ylabel="ms per 20-sentence article", title="latency")
    right.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=90)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="artifacts/models/latest")
    parser.add_argument("--requests", type=int, default=240, help="requests per concurrency level")
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per concurrency level")
    args = parser.parse_args()
    from transformers import pipeline

    from event_classifier.predictor import Predictor

    docs, sentences = articles()
    naive = pipeline("text-classification", model=args.model, top_k=None)
    sample = sentences[:200]
    naive_rate = median_rate(lambda: [naive(s) for s in sample], len(sample), repeats=1)
    del naive
    engine = Predictor(args.model, backend="onnx")
    engine.logits(sentences[:64])
    engine_rate = median_rate(lambda: engine.logits(sentences), len(sentences))
    del engine

    port = free_port()
    server = start_server(args.model, port)
    url = f"http://127.0.0.1:{port}"
    try:
        asyncio.run(drive(url, docs, 4, 20, 30))  # warm-up
        levels = [asyncio.run(drive(url, docs, c, max(args.requests // (4 if c == 1 else 1), 30), args.time_limit))
                  for c in (1, 8, 32)]
        memory = rss_mb(server.pid)
        profile = httpx.get(f"{url}/metrics").text
    finally:
        server.terminate()
        server.wait(timeout=30)
    sums = {name: float(m.group(1)) for name in ("ec_tokenize_seconds", "ec_inference_seconds", "ec_queue_seconds")
            if (m := re.search(rf"^{name}_sum ([0-9.e+-]+)$", profile, re.M))}
    results = {"naive_sentences_per_s": naive_rate, "engine_sentences_per_s": engine_rate, "server": levels,
               "server_rss_mb": memory, "server_time_sums_s": sums, "sentences": len(sentences),
               "sentences_per_article": 20, "cpus": os.cpu_count()}
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    plot(results, out / "results.png")

    print(f"naive pipeline (one sentence a call): {naive_rate:8.1f} sentences/s")
    print(f"raw int8 engine (no HTTP):            {engine_rate:8.1f} sentences/s")
    print("| concurrency | requests | statuses | sentences/s | x naive | x engine | p50 ms | p95 ms | p99 ms |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in levels:
        print(f"| {r['concurrency']} | {r['requests']} | {r['statuses']} | {r['sentences_per_s']:.1f} | "
              f"{r['sentences_per_s'] / naive_rate:.2f} | {r['sentences_per_s'] / engine_rate:.2f} | "
              f"{r['p50_ms']:.1f} | {r['p95_ms']:.1f} | {r['p99_ms']:.1f} |")
    print(f"server resident memory after the run: {memory:.0f} MB")
    print("server time (s) in tokenisation / engine / queue: " + ", ".join(f"{k}={v:.2f}" for k, v in sums.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
