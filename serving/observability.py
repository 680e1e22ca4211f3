"""Prometheus metrics, one registry per app (so tests can build many apps in one process)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.requests = Counter("ec_requests", "HTTP requests by route and status", ["route", "status"], registry=r)
        self.latency = Histogram("ec_request_seconds", "HTTP request latency by route", ["route"],
                                 buckets=LATENCY_BUCKETS, registry=r)
        self.queue_sentences = Gauge("ec_queue_sentences", "sentences waiting or running", registry=r)
        self.queue_seconds = Histogram("ec_queue_seconds", "time a request waited for its batch",
                                       buckets=LATENCY_BUCKETS, registry=r)
        self.tokenize_seconds = Histogram("ec_tokenize_seconds", "tokenisation time per batch",
                                          buckets=LATENCY_BUCKETS, registry=r)
        self.inference_seconds = Histogram("ec_inference_seconds", "engine time per batch",
                                           buckets=LATENCY_BUCKETS, registry=r)
        self.batch_sentences = Histogram("ec_batch_sentences", "sentences per engine batch",
                                         buckets=(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024), registry=r)
        self.sentences = Counter("ec_sentences_classified", "sentences classified", registry=r)
