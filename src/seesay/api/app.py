"""``create_app(settings)``: the ASGI application of every surface over one platform."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI

from seesay import __version__
from seesay.api import (
    imagedescriber,
    img2voice,
    native,
    openai,
    vimmerse,
    voiceclone,
    web,
    webvoice,
)
from seesay.api.errors import ErrorRouter, install_error_handlers
from seesay.api.middleware import BodySizeLimit, RequestContext
from seesay.api.native.errors import render_native_error
from seesay.api.web.docs import build_docs_router
from seesay.platform import Platform
from seesay.settings import Settings

__all__ = ["SURFACES", "create_app"]

# Each surface mounts its routes and registers its error renderer for its URL prefix.
SURFACES: tuple[Callable[[FastAPI, ErrorRouter], None], ...] = (
    native.install,
    openai.install,
    img2voice.install,
    imagedescriber.install,
    webvoice.install,
    voiceclone.install,
    vimmerse.install,
    web.install,  # the playground at / (last: it owns only / and /static)
)


def create_app(
    settings: Settings, *, platform: Platform | None = None, consume_jobs: bool | None = None
) -> FastAPI:
    """Build the application. ``settings`` must be resolved (``load_settings`` does that).

    ``platform`` lets a caller share an already built platform (tests, the CLI);
    ``consume_jobs`` defaults to consuming the queue in-process in the embedded mode only.
    """
    platform = platform or Platform.build(settings)
    consume = settings.embedded_queue if consume_jobs is None else consume_jobs

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        platform.start(consume=consume)
        try:
            yield
        finally:
            platform.close()

    app = FastAPI(
        title="SeeSay",
        version=__version__,
        description="Sees an image and says what is in it; text to speech, speech to text, "
        "translation and more, behind native, OpenAI-compatible and drop-in compatible APIs.",
        lifespan=lifespan,
        # Swagger UI and ReDoc would load scripts from a CDN on the playground's origin;
        # /docs is a script-free page rendered here instead (seesay.api.web.docs).
        docs_url=None,
        redoc_url=None,
        # FastAPI's own OpenTelemetry spans would follow a global provider and record raw
        # paths and queries (a signed URL's signature among them); SeeSay's request span
        # (RequestContext, settings.tracing) replaces them.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    app.state.platform = platform
    errors = ErrorRouter(default=render_native_error)
    install_error_handlers(app, errors)
    for install in SURFACES:
        install(app, errors)
    app.include_router(build_docs_router(app.openapi))
    app.add_middleware(BodySizeLimit, max_bytes=settings.limits.max_request_bytes)
    app.add_middleware(RequestContext, metrics=platform.metrics, tracing=platform.tracing)
    return app
