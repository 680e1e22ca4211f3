"""FastAPI application factory: `uvicorn serving.app:create_app --factory`."""

from __future__ import annotations

import asyncio
import logging
import signal
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from event_classifier import __version__
from serving.errors import install_error_handlers
from serving.middleware import BodyLimit, RequestMetrics
from serving.observability import Metrics
from serving.routes import router
from serving.service import Service
from serving.settings import Settings, get_settings


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; the model is loaded in lifespan, so building is cheap and has no side effects."""
    settings = settings or get_settings()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    metrics = Metrics()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        service = Service(settings, metrics)
        app.state.service = service
        await service.start()
        watch_sighup(service)
        yield
        await service.stop()

    app = FastAPI(title="event-classifier", version=__version__, lifespan=lifespan,
                  docs_url=None, redoc_url=None, openapi_url=None,  # served by routes.py, behind the API keys
                  description="Sentence-level news event classification: which sentences report a raid, "
                              "a casualty, an arrest or an allegation.")
    install_error_handlers(app)
    app.include_router(router)

    def openapi():
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
            service = getattr(app.state, "service", None)
            labels = service.predictor.labels if service and service.predictor else []
            label_schema = {"title": "Label", "type": "string", "description": "an event label of the served model"}
            if labels:
                label_schema["enum"] = labels
            schema = _point_at_label(schema)
            schema.setdefault("components", {}).setdefault("schemas", {})["Label"] = label_schema
            if labels:
                app.openapi_schema = schema  # cache only once the labels are known
            return schema
        return app.openapi_schema

    app.openapi = openapi
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(RequestMetrics, metrics=metrics)  # outermost: counts 413s from BodyLimit too
    return app


def watch_sighup(service: Service) -> None:
    """SIGHUP reloads the model directory (e.g. after `make train` moved `latest`) without a restart."""
    loop = asyncio.get_running_loop()

    def reload() -> None:
        task = loop.create_task(service.reload())
        task.add_done_callback(lambda t: t.cancelled() or t.exception())  # failures are logged by reload()

    try:
        loop.add_signal_handler(signal.SIGHUP, reload)
    except (NotImplementedError, RuntimeError, ValueError):
        pass  # not the main thread (TestClient): the admin route still reloads


def _point_at_label(node):
    """Replace every schema marked as an event label with a reference to the shared Label schema."""
    if isinstance(node, dict):
        if node.get("x-event-label"):
            return {"$ref": "#/components/schemas/Label"}
        return {key: _point_at_label(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_point_at_label(item) for item in node]
    return node
