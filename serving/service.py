"""The served model: loading, warm-up, checks, and the state routes read through a dependency."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

from event_classifier.predictor import Predictor
from serving.batching import Batcher
from serving.observability import Metrics
from serving.settings import Settings

log = logging.getLogger("serving")
WARMUP = ["Security forces raided a hideout and arrested two suspects.", "Markets were calm on Monday."]


def load_predictor(settings: Settings) -> Predictor:
    """Load, verify (checksums) and warm up the model directory named in settings."""
    predictor = Predictor(settings.model_dir, backend=settings.backend, threads=settings.threads or None,
                          batch_tokens=settings.batch_tokens)
    predictor.scores(WARMUP)
    return predictor


@dataclass
class Service:
    settings: Settings
    metrics: Metrics = field(default_factory=Metrics)
    batcher: Batcher | None = None
    error: str | None = "the model is still loading"
    _swap_lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    @property
    def predictor(self) -> Predictor | None:
        return self.batcher.predictor if self.batcher else None

    async def start(self) -> None:
        """Load the model off the event loop; on failure stay alive but not ready, with the reason logged."""
        try:
            predictor = await asyncio.to_thread(load_predictor, self.settings)
        except Exception as exc:  # noqa: BLE001 - any load failure means "not ready", never a crash
            self.error = f"cannot serve {self.settings.model_dir}: {exc}"
            log.error(self.error)
            return
        self.batcher = Batcher(predictor, self.metrics, self.settings.max_batch_wait_ms / 1000,
                               self.settings.max_queue_sentences)
        self.batcher.start()
        self.error = None
        log.info("serving %s (%s backend) from %s", predictor.run_id, self.settings.backend, predictor.model_dir)

    async def reload(self) -> str:
        """Load the configured model directory beside the current one and swap it in atomically.

        Batches already running finish on the old model. A directory that fails to load or has other
        labels is refused and the current model keeps serving.
        """
        async with self._swap_lock:
            try:
                candidate = await asyncio.to_thread(load_predictor, self.settings)
            except Exception as exc:  # noqa: BLE001
                log.error("model swap refused: %s", exc)
                raise
            if self.batcher is None:
                self.batcher = Batcher(candidate, self.metrics, self.settings.max_batch_wait_ms / 1000,
                                       self.settings.max_queue_sentences)
                self.batcher.start()
            else:
                if candidate.labels != self.batcher.predictor.labels:
                    message = f"model swap refused: labels {candidate.labels} differ from {self.batcher.predictor.labels}"
                    log.error(message)
                    raise ValueError(message)
                self.batcher.predictor = candidate
            self.error = None
            log.info("now serving %s", candidate.run_id)
            return candidate.run_id

    async def stop(self) -> None:
        if self.batcher:
            await self.batcher.stop()
