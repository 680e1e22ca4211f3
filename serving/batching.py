"""Adaptive batching: sentences from all requests in flight share engine batches on one worker thread."""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from event_classifier.predictor import Predictor
from serving.observability import Metrics


class Overloaded(Exception):
    """The queue is full; the client should retry after `retry_after` seconds."""

    def __init__(self, retry_after: int):
        super().__init__(f"the server is at capacity; retry in {retry_after} s")
        self.retry_after = retry_after


@dataclass
class _Job:
    texts: list[str]
    future: asyncio.Future
    queued_at: float = field(default_factory=time.perf_counter)


class Batcher:
    """Queues sentences, runs them in batches of at most `max_batch` sentences after waiting at most
    `max_wait_s` for a batch to fill, and hands each request its own rows back in order.

    The predictor is only ever called from the single worker thread, so its tokenizer is never shared
    between threads; `predictor` may be replaced between batches (model swap).
    """

    def __init__(self, predictor: Predictor, metrics: Metrics, max_wait_s: float, max_queue: int,
                 max_batch: int = 256):
        self.predictor = predictor
        self.metrics = metrics
        self.max_wait_s = max_wait_s
        self.max_queue = max_queue
        self.max_batch = max_batch
        self.pending = 0
        self._queue: asyncio.Queue[_Job] = asyncio.Queue()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="inference")
        self._task: asyncio.Task | None = None
        self._rate = 500.0  # sentences/s, refined as batches complete; used for Retry-After

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run(), name="batcher")

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        self._executor.shutdown(wait=True)

    async def run_in_worker(self, fn, *args):
        """Run a callable on the inference thread, the only thread that touches the predictor."""
        return await asyncio.get_running_loop().run_in_executor(self._executor, fn, *args)

    async def submit(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Logits and truncation flags for `texts`, computed in shared batches."""
        if not texts:
            return np.zeros((0, len(self.predictor.labels)), np.float32), np.zeros(0, bool)
        if self.pending + len(texts) > self.max_queue:
            raise Overloaded(max(1, int(np.ceil((self.pending + len(texts)) / self._rate))))
        self.pending += len(texts)
        self.metrics.queue_sentences.set(self.pending)
        job = _Job(texts, asyncio.get_running_loop().create_future())
        self._queue.put_nowait(job)
        return await job.future

    async def _collect(self) -> list[_Job]:
        jobs = [await self._queue.get()]
        size = len(jobs[0].texts)
        deadline = time.perf_counter() + self.max_wait_s
        while size < self.max_batch:
            try:
                job = self._queue.get_nowait()
            except asyncio.QueueEmpty:
                remaining = deadline - time.perf_counter()
                if remaining <= 0:
                    break
                try:
                    job = await asyncio.wait_for(self._queue.get(), remaining)
                except asyncio.TimeoutError:
                    break
            jobs.append(job)
            size += len(job.texts)
        return jobs

    def _infer(self, predictor: Predictor, texts: list[str]):
        start = time.perf_counter()
        ids, truncated = predictor.encode(texts)
        encoded = time.perf_counter()
        logits = predictor.logits_from_ids(ids)
        done = time.perf_counter()
        self.metrics.tokenize_seconds.observe(encoded - start)
        self.metrics.inference_seconds.observe(done - encoded)
        return logits, truncated, done - start

    async def _run(self) -> None:
        while True:
            jobs = await self._collect()
            texts = [t for job in jobs for t in job.texts]
            now = time.perf_counter()
            for job in jobs:
                self.metrics.queue_seconds.observe(now - job.queued_at)
            self.metrics.batch_sentences.observe(len(texts))
            try:
                logits, truncated, seconds = await self.run_in_worker(self._infer, self.predictor, texts)
                self._rate = 0.8 * self._rate + 0.2 * (len(texts) / max(seconds, 1e-6))
            except Exception as exc:  # noqa: BLE001 - handed to every waiting request
                for job in jobs:
                    if not job.future.done():
                        job.future.set_exception(exc)
            else:
                self.metrics.sentences.inc(len(texts))
                offset = 0
                for job in jobs:
                    n = len(job.texts)
                    if not job.future.done():  # a client that went away has a cancelled future
                        job.future.set_result((logits[offset : offset + n], truncated[offset : offset + n]))
                    offset += n
            finally:
                self.pending -= len(texts)
                self.metrics.queue_sentences.set(self.pending)
