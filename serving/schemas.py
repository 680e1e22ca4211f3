"""Request and response schemas. `Label` is filled with the served model's labels in the OpenAPI document."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, WithJsonSchema

# Marked here, pointed at components/schemas/Label (with the model's labels as enum) by serving.app.
Label = Annotated[str, WithJsonSchema({"type": "string", "x-event-label": True})]
Score = Annotated[float, Field(ge=0.0, le=1.0)]
def _valid_unicode(text: str) -> str:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("text is not valid Unicode (it contains a lone surrogate)") from None
    return text


Text = Annotated[str, Field(min_length=1, description="news text: an article, a paragraph or a sentence"),
                 AfterValidator(_valid_unicode)]


class Strict(BaseModel):
    """Requests are strict: no unknown fields, no coercion (0 is not false, "1" is not 1.0)."""

    model_config = ConfigDict(extra="forbid", strict=True)


class ClassifyRequest(Strict):
    texts: list[Text] = Field(min_length=1, description="texts to classify, each answered in order")
    split_sentences: bool = Field(True, description="split each text into sentences; false scores each text whole")
    thresholds: dict[Label, Score] | None = Field(None, description="per-label overrides of the model's thresholds")


class SentenceResult(BaseModel):
    text: str
    start: int = Field(description="character offset of the sentence in its input text")
    end: int = Field(description="input[start:end] == text")
    labels: list[Label]
    scores: dict[Label, float] = Field(description="sigmoid score of every label")
    truncated: bool = Field(description="the sentence was longer than the model's max length and was cut")


class DocumentResult(BaseModel):
    labels: list[Label] = Field(description="union of the sentence labels")
    scores: dict[Label, float] = Field(description="per label, the maximum over sentences")
    sentences: list[SentenceResult]


class ModelRef(BaseModel):
    id: str
    labels: list[Label]


class ClassifyResponse(BaseModel):
    model: ModelRef
    results: list[DocumentResult]


class PredictRequest(Strict):
    """Text Embeddings Inference / HF Inference API compatible request."""

    inputs: Text | Annotated[list[Text], Field(min_length=1)] | Annotated[
        list[Annotated[list[Text], Field(min_length=1, max_length=1)]], Field(min_length=1)]
    raw_scores: bool = Field(False, description="logits instead of sigmoid scores")
    truncate: bool = Field(True, description="cut texts longer than the model's max length; false refuses them")
    truncation_direction: Literal["right"] = "right"
    parameters: dict | None = Field(None, description="accepted for HF Inference API clients; ignored")
    options: dict | None = Field(None, description="accepted for HF Inference API clients; ignored")


class LabelScore(BaseModel):
    label: Label
    score: float


class InfoResponse(BaseModel):
    model_id: str
    model_dir: str
    labels: list[Label]
    thresholds: dict[Label, float]
    backend: str
    max_input_length: int = Field(description="tokens per sentence; longer sentences are truncated")
    max_texts: int
    max_text_chars: int
    max_sentences: int
    max_body_bytes: int
    batch_tokens: int
    version: str


class ErrorResponse(BaseModel):
    error: str = Field(description="what went wrong, in words a person can act on")
    error_type: Literal["validation", "too_large", "overloaded", "not_ready", "unauthorized", "not_found", "internal"]
