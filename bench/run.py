"""`make bench`: end-to-end throughput and latency of the real server against the naive baseline and the raw engine.

In one run, on the same sentences (the authored test split, grouped into 20-sentence articles):
  1. naive: transformers `pipeline("text-classification")`, one sentence per call (torch), on every
     eighth sentence;
  2. engine: the Predictor's ONNX int8 engine on all sentences at once (no HTTP, no splitting);
  3. server: `python -m serving` on a free loopback port, driven by a bounded load generator at
     concurrency 1, 8 and 32 (fixed request count and time limit per level).
The machine is shared and its speed drifts by tens of percent within a minute, so the three are
interleaved: each level runs in rounds of naive, engine, then a slice of the level's requests, and
its ratios divide the server's sentences per second by the baselines' over the same rounds.
Writes bench/results/results.json and bench/results/results.png, and prints a table with the ratios.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import sys
import time
from pathlib import Path

import httpx
import numpy as np

from bench.harness import ROOT, articles, free_port, load, rss_mb, start_server


class Rate:
    """Items per second accumulated over several timed runs."""

    def __init__(self) -> None:
        self.items, self.seconds = 0, 0.0

    def time(self, fn, items: int) -> None:
        start = time.perf_counter()
        fn()
        self.seconds += time.perf_counter() - start
        self.items += items

    @property
    def per_s(self) -> float:
        return self.items / self.seconds


def articles_from(docs: list[str], offset: int = 0):
    """Request maker for the load generator: the i-th request posts one 20-sentence article."""
    return lambda i: ("/v1/classify", {"texts": [docs[(offset + i) % len(docs)]]})


def level(url: str, docs: list[str], concurrency: int, requests: int, time_limit: float, rounds: int,
          naive, engine, sentences: list[str]) -> dict:
    """One concurrency level in `rounds` interleaved rounds of naive baseline, raw engine and server load."""
    naive_rate, engine_rate, server = Rate(), Rate(), Rate()
    sample = sentences[::8]
    latencies, statuses = [], {}
    for r in range(rounds):
        naive_rate.time(lambda: [naive(x) for x in sample], len(sample))
        engine_rate.time(lambda: engine.logits(sentences), len(sentences))
        result = asyncio.run(load(url, articles_from(docs, r * (requests // rounds)), concurrency,
                                  requests // rounds, time_limit / rounds))
        server.items += result["sentences"]
        server.seconds += result["wall_s"]
        latencies += result["latencies"]
        for status, n in result["statuses"].items():
            statuses[status] = statuses.get(status, 0) + n
    ms = np.array(latencies) * 1000
    return {"concurrency": concurrency, "requests": len(ms), "statuses": statuses,
            "sentences_per_s": server.per_s, "naive_sentences_per_s": naive_rate.per_s,
            "engine_sentences_per_s": engine_rate.per_s, "p50_ms": float(np.percentile(ms, 50)),
            "p95_ms": float(np.percentile(ms, 95)), "p99_ms": float(np.percentile(ms, 99))}


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
    parser.add_argument("--rounds", type=int, default=4, help="interleaved rounds per concurrency level")
    args = parser.parse_args()
    from transformers import pipeline

    from event_classifier.predictor import Predictor

    docs, sentences = articles()
    naive = pipeline("text-classification", model=args.model, top_k=None)
    engine = Predictor(args.model, backend="onnx")
    engine.logits(sentences[:64])

    port = free_port()
    server = start_server(args.model, port)
    url = f"http://127.0.0.1:{port}"
    try:
        asyncio.run(load(url, articles_from(docs), 4, 20, 30))  # warm-up
        levels = [level(url, docs, c, max(args.requests // (4 if c == 1 else 1), 30), args.time_limit, args.rounds,
                        naive, engine, sentences) for c in (1, 8, 32)]
        memory = rss_mb(server.pid)
        profile = httpx.get(f"{url}/metrics").text
    finally:
        server.terminate()
        server.wait(timeout=30)
    naive_rate = float(np.median([r["naive_sentences_per_s"] for r in levels]))
    engine_rate = float(np.median([r["engine_sentences_per_s"] for r in levels]))
    sums = {name: float(m.group(1)) for name in ("ec_tokenize_seconds", "ec_inference_seconds", "ec_queue_seconds",
                                                 "ec_sentences_classified_total")
            if (m := re.search(rf"^{name}(?:_sum)? ([0-9.e+-]+)$", profile, re.M))}
    results = {"naive_sentences_per_s": naive_rate, "engine_sentences_per_s": engine_rate, "server": levels,
               "server_rss_mb": memory, "server_time_sums_s": sums, "sentences": len(sentences),
               "sentences_per_article": 20, "cpus": os.cpu_count()}
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    plot(results, out / "results.png")

    print(f"naive pipeline (one sentence a call): {naive_rate:8.1f} sentences/s (median over levels)")
    print(f"raw int8 engine (no HTTP):            {engine_rate:8.1f} sentences/s (median over levels)")
    print("| concurrency | requests | statuses | sentences/s | naive /s | engine /s | x naive | x engine "
          "| p50 ms | p95 ms | p99 ms |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in levels:
        print(f"| {r['concurrency']} | {r['requests']} | {r['statuses']} | {r['sentences_per_s']:.1f} | "
              f"{r['naive_sentences_per_s']:.1f} | {r['engine_sentences_per_s']:.1f} | "
              f"{r['sentences_per_s'] / r['naive_sentences_per_s']:.2f} | {r['sentences_per_s'] / r['engine_sentences_per_s']:.2f} | "
              f"{r['p50_ms']:.1f} | {r['p95_ms']:.1f} | {r['p99_ms']:.1f} |")
    print(f"server resident memory after the run: {memory:.0f} MB")
    print("server totals (s, sentences): " + ", ".join(f"{k}={v:.2f}" for k, v in sums.items()))
    if sums.get("ec_inference_seconds"):
        print(f"engine inside the server: {sums['ec_sentences_classified_total'] / sums['ec_inference_seconds']:.1f} "
              "sentences per engine second")
    return 0


if __name__ == "__main__":
    sys.exit(main())
