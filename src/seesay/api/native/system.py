"""Health, readiness and metrics."""

from __future__ import annotations

import hmac

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from seesay.api.deps import Services, presented_key
from seesay.api.native.errors import NATIVE_ERRORS
from seesay.errors import AuthenticationFailed, PermissionDenied
from seesay.platform import Platform
from seesay.services.health import engine_status, readiness

__all__ = ["router"]

router = APIRouter(tags=["system"])


@router.get("/healthz", summary="Liveness: the process answers")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/readyz",
    summary="Readiness: database, queue and storage, and each engine's parts",
    description=(
        "200 while the database, queue and storage serve; ``status`` is ``degraded`` when an "
        "engine or one of its parts failed to load (the rest still serve). ``engines`` lists "
        "every configured engine by task/name with its parts; nothing is loaded by asking."
    ),
    responses={503: {"description": "A backing service is down"}},
)
async def readyz(services: Services) -> JSONResponse:
    checks = await run_in_threadpool(readiness, services)
    ok = all(c["ok"] for c in checks.values())
    engines = engine_status(services.engines)
    degraded = any(e["status"] in ("degraded", "failed") for e in engines.values())
    return JSONResponse(
        {
            "status": "unavailable" if not ok else "degraded" if degraded else "ok",
            "checks": checks,
            "engines": engines,
            "engines_loaded": services.engines.loaded(),
            "inference": "inline" if services.executor.inline else "workers",
        },
        status_code=200 if ok else 503,
    )


@router.get(
    "/metrics",
    summary="Prometheus metrics (operator only)",
    response_class=Response,
    responses={200: {"content": {"text/plain": {}}}, **NATIVE_ERRORS.responses(401, 403)},
)
async def metrics(request: Request, services: Services) -> Response:
    """Per-route counts and credits spent are operator data: ``Authorization: Bearer`` with
    ``SEESAY_METRICS_TOKEN`` (Prometheus' ``authorization`` setting), or an API key of the
    owner account."""
    await run_in_threadpool(_authorize_metrics, request, services)
    return Response(services.metrics.render(), media_type="text/plain; version=0.0.4")


def _authorize_metrics(request: Request, platform: Platform) -> None:
    presented = presented_key(request, "x-api-key")
    configured = platform.settings.metrics_token
    if presented and configured is not None:
        expected = configured.get_secret_value().encode()
        if hmac.compare_digest(presented.encode("utf-8", "surrogatepass"), expected):
            return
    if presented is None:
        raise AuthenticationFailed(
            "Metrics need the operator token (SEESAY_METRICS_TOKEN) or the owner's API key."
        )
    principal = platform.accounts.authenticate(presented)
    if not platform.accounts.get_account(principal.account_id).is_owner:
        raise PermissionDenied("Only the operator may read metrics.")
