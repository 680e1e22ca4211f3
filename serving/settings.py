"""Server settings, read from the environment (prefix EC_), e.g. EC_MODEL_DIR, EC_API_KEYS."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything the server can be told; the model's own behaviour comes from its directory."""

    model_config = SettingsConfigDict(env_prefix="EC_", env_file=None, extra="ignore")

    model_dir: str = Field("artifacts/models/latest", description="published run directory to serve")
    backend: Literal["onnx", "onnx-fp32", "torch"] = Field("onnx", description="inference engine")
    threads: int = Field(0, ge=0, description="engine threads; 0 = one per CPU core")
    api_keys: list[SecretStr] = Field(default_factory=list, description="bearer keys; empty = no auth")
    max_texts: int = Field(64, ge=1, description="texts per request")
    max_text_chars: int = Field(100_000, ge=1, description="characters per text")
    max_body_bytes: int = Field(2_000_000, ge=1024, description="request body size")
    max_sentences: int = Field(2_000, ge=1, description="sentences per request, after splitting")
    batch_tokens: int = Field(512, ge=128, description="token budget of one engine batch (small batches pad less; measured fastest on CPU)")
    max_batch_wait_ms: float = Field(2.0, ge=0, description="how long a batch waits to fill")
    max_queue_sentences: int = Field(8_000, ge=1, description="sentences queued before 429")


@lru_cache
def get_settings() -> Settings:
    """The process settings, read once; tests build their own Settings objects instead."""
    return Settings()
