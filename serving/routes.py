"""HTTP routes: thin handlers over the Service; all model work happens on the batcher's worker thread."""

from __future__ import annotations

import hmac
from typing import Annotated

import numpy as np
from fastapi import APIRouter, Depends, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from event_classifier import __version__
from event_classifier.predictor import Predictor, sigmoid, split_texts
from serving.batching import Overloaded
from serving.errors import ApiError
from serving.schemas import (ClassifyRequest, ClassifyResponse, ErrorResponse, InfoResponse, LabelScore,
                             PredictRequest)
from serving.service import Service

ERRORS = {code: {"model": ErrorResponse} for code in (401, 413, 422, 429, 503)}
router = APIRouter()


def get_service(request: Request) -> Service:
    return request.app.state.service


def require_key(request: Request, service: Annotated[Service, Depends(get_service)]) -> None:
    """When API keys are configured, demand `Authorization: Bearer <key>` (compared in constant time)."""
    keys = service.settings.api_keys
    if not keys:
        return
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    ok = scheme.lower() == "bearer" and any(
        hmac.compare_digest(given.encode(), key.get_secret_value().encode()) for key in keys)
    if not ok:
        raise ApiError(401, "unauthorized", "missing or invalid API key: send 'Authorization: Bearer <key>'",
                       {"WWW-Authenticate": "Bearer"})


def ready_service(service: Annotated[Service, Depends(get_service)]) -> Service:
    if service.predictor is None:
        raise ApiError(503, "not_ready", f"model not ready: {service.error}", {"Retry-After": "5"})
    return service


Ready = Annotated[Service, Depends(ready_service)]


async def score(service: Service, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    try:
        return await service.batcher.submit(texts)
    except Overloaded as exc:
        raise ApiError(429, "overloaded", str(exc), {"Retry-After": str(exc.retry_after)}) from None


def check_limits(service: Service, texts: list[str]) -> None:
    s = service.settings
    if len(texts) > s.max_texts:
        raise ApiError(413, "too_large", f"{len(texts)} texts in one request; the limit is {s.max_texts} (EC_MAX_TEXTS)")
    for i, text in enumerate(texts):
        if len(text) > s.max_text_chars:
            raise ApiError(413, "too_large", f"text {i} has {len(text)} characters; the limit is "
                                             f"{s.max_text_chars} (EC_MAX_TEXT_CHARS)")
        if not text.strip():
            raise ApiError(422, "validation", f"text {i} is empty or only whitespace")


@router.post("/v1/classify", response_model=ClassifyResponse, responses=ERRORS, dependencies=[Depends(require_key)],
             summary="Classify texts sentence by sentence")
async def classify(body: ClassifyRequest, service: Ready) -> Response:
    predictor: Predictor = service.predictor
    check_limits(service, body.texts)
    unknown = sorted(set(body.thresholds or {}) - set(predictor.labels))
    if unknown:
        raise ApiError(422, "validation", f"thresholds for unknown label(s) {unknown}; labels are {predictor.labels}")
    spans, flat = await run_in_threadpool(split_texts, body.texts, body.split_sentences)
    if len(flat) > service.settings.max_sentences:
        raise ApiError(413, "too_large", f"{len(flat)} sentences in one request; the limit is "
                                         f"{service.settings.max_sentences} (EC_MAX_SENTENCES)")
    logits, truncated = await score(service, flat)
    results = predictor.assemble_all(body.texts, spans, sigmoid(logits), truncated,
                                     predictor.threshold_vector(body.thresholds))
    response = ClassifyResponse.model_validate(
        {"model": {"id": predictor.run_id, "labels": predictor.labels},
         "results": [r.__dict__ | {"sentences": [s.__dict__ for s in r.sentences]} for r in results]})
    # Validated once here; returning a Response keeps FastAPI from validating it a second time.
    return Response(response.model_dump_json(), media_type="application/json")


@router.post("/predict", response_model=list[LabelScore] | list[list[LabelScore]], responses=ERRORS,
             dependencies=[Depends(require_key)], summary="TEI / HF Inference compatible classification")
async def predict(body: PredictRequest, service: Ready):
    predictor: Predictor = service.predictor
    single = isinstance(body.inputs, str)
    texts = [body.inputs] if single else [x if isinstance(x, str) else x[0] for x in body.inputs]
    check_limits(service, texts)
    logits, truncated = await score(service, texts)
    if not body.truncate and truncated.any():
        index = int(np.argmax(truncated))
        raise ApiError(413, "too_large", f"input {index} is longer than the model's {predictor.max_length} tokens "
                                         "and truncate is false")
    values = logits if body.raw_scores else sigmoid(logits)
    out = [sorted(({"label": label, "score": float(v)} for label, v in zip(predictor.labels, row)),
                  key=lambda item: -item["score"]) for row in values]
    return out[0] if single else out


@router.get("/openapi.json", include_in_schema=False, dependencies=[Depends(require_key)])
async def openapi_document(request: Request) -> JSONResponse:
    return JSONResponse(request.app.openapi())


@router.get("/docs", include_in_schema=False, dependencies=[Depends(require_key)])
async def docs() -> HTMLResponse:
    return get_swagger_ui_html(openapi_url="/openapi.json", title="event-classifier API")


@router.get("/health", summary="Liveness: the process is up")
async def health() -> dict:
    return {"status": "ok"}


@router.get("/ready", responses={503: {"model": ErrorResponse}}, summary="Readiness: the model is loaded and warm")
async def ready(service: Ready) -> dict:
    return {"status": "ready", "model": service.predictor.run_id}


@router.get("/info", response_model=InfoResponse, dependencies=[Depends(require_key)])
async def info(service: Ready) -> InfoResponse:
    p, s = service.predictor, service.settings
    return InfoResponse(model_id=p.run_id, model_dir=str(p.model_dir), labels=p.labels,
                        thresholds=dict(zip(p.labels, p.thresholds.tolist())), backend=p.backend,
                        max_input_length=p.max_length, max_texts=s.max_texts, max_text_chars=s.max_text_chars,
                        max_sentences=s.max_sentences, max_body_bytes=s.max_body_bytes,
                        batch_tokens=s.batch_tokens, version=__version__)


@router.get("/metrics", summary="Prometheus metrics", response_class=Response,
            responses={200: {"content": {CONTENT_TYPE_LATEST.split(";")[0]: {"schema": {"type": "string"}}}}})
async def metrics(service: Annotated[Service, Depends(get_service)]) -> Response:
    return Response(generate_latest(service.metrics.registry), media_type=CONTENT_TYPE_LATEST)


@router.post("/admin/reload", responses=ERRORS, dependencies=[Depends(require_key)],
             summary="Load the configured model directory again and swap it in without a restart")
async def reload_model(service: Annotated[Service, Depends(get_service)]) -> dict:
    if not service.settings.api_keys:
        raise ApiError(401, "unauthorized", "the admin API needs EC_API_KEYS to be set; send SIGHUP to reload instead")
    try:
        run_id = await service.reload()
    except Exception as exc:  # noqa: BLE001 - the old model keeps serving
        raise ApiError(422, "validation", f"model refused, still serving the previous one: {exc}") from None
    return {"status": "reloaded", "model": run_id}
