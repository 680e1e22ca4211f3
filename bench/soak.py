"""`make soak`: the real server under mixed valid and invalid traffic at concurrency 64, then an overload.

Phase 1 (soak): bounded by time and request count; reports statuses, transport errors, p99 latency and
resident memory after warm-up and at the end (target: no 5xx, no dropped connection, growth < 5 %).
Phase 2 (overload): a server with a small queue (EC_MAX_QUEUE_SENTENCES=200) hit at concurrency 64;
excess requests must get 429 with Retry-After, never time out.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys

import httpx
import numpy as np

from bench.harness import ROOT, articles, free_port, load, rss_mb, start_server

BAD = [
    ("/v1/classify", {"texts": []}),
    ("/v1/classify", {"texts": ["   "]}),
    ("/v1/classify", {"texts": ["ok"], "thresholds": {"raid": 3}}),
    ("/v1/classify", b'{"texts": ["unterminated'),
    ("/v1/classify", {"texts": ["x" * 200_000]}),
    ("/predict", {"inputs": None}),
    ("/predict", {"inputs": ["a"] * 500}),
    ("/v1/classify", {"texts": ["A! " * 3000]}),
]


def mixed(docs: list[str], sentences: list[str], seed: int = 1):
    rng = random.Random(seed)

    def make(i: int):
        roll = rng.random()
        if roll < 0.25:
            return BAD[i % len(BAD)]
        if roll < 0.45:
            return "/predict", {"inputs": rng.sample(sentences, 4)}
        return "/v1/classify", {"texts": [docs[i % len(docs)]]}
    return make


def summary(result: dict) -> dict:
    ms = np.array(result["latencies"]) * 1000
    return {"requests": len(ms), "statuses": result["statuses"], "transport_errors": result["errors"],
            "p50_ms": float(np.percentile(ms, 50)), "p99_ms": float(np.percentile(ms, 99))}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="artifacts/models/latest")
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--requests", type=int, default=20_000)
    args = parser.parse_args()
    docs, sentences = articles()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = start_server(args.model, port)
    try:
        asyncio.run(load(url, mixed(docs, sentences, 0), 64, 300, 60))  # warm-up
        rss_start = rss_mb(server.pid)
        soak = summary(asyncio.run(load(url, mixed(docs, sentences), 64, args.requests, args.seconds)))
        rss_end = rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    small = start_server(args.model, port, max_queue_sentences=200)
    try:
        overload = summary(asyncio.run(
            load(url, lambda i: ("/v1/classify", {"texts": [docs[i % len(docs)]]}), 64, 600, 60)))
        retry_after = httpx.post(f"{url}/v1/classify", json={"texts": [docs[0]] * 20}).headers.get("retry-after")
    finally:
        small.terminate()
        small.wait(timeout=30)
    growth = 100 * (rss_end - rss_start) / rss_start
    results = {"soak": soak, "rss_after_warmup_mb": rss_start, "rss_end_mb": rss_end, "rss_growth_pct": growth,
               "overload": overload, "overload_retry_after_header": retry_after}
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "soak.json").write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))
    five_xx = sum(n for code, n in soak["statuses"].items() if code >= 500) + sum(
        n for code, n in overload["statuses"].items() if code >= 500)
    dropped = sum(soak["transport_errors"].values()) + sum(overload["transport_errors"].values())
    ok = five_xx == 0 and dropped == 0 and growth < 5 and 429 in overload["statuses"]
    print("soak: PASS" if ok else "soak: FAIL (5xx, dropped connections, memory growth or no 429 under overload)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
