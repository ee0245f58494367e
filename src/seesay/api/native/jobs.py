"""Job status and cancellation."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from seesay.api.deps import CurrentKey, Services
from seesay.api.native.errors import NATIVE_ERRORS
from seesay.api.native.schemas import JobOut
from seesay.api.urls import absolute_url
from seesay.jobs.runner import job_event
from seesay.jobs.store import JobView
from seesay.services.container import Platform

__all__ = ["job_out", "router"]

router = APIRouter(prefix="/v1/jobs", tags=["jobs"])


def job_out(request: Request, platform: Platform, job: JobView) -> JobOut:
    """The job as clients see it; a stored audio result gets a freshly signed URL."""
    event: dict[str, Any] = job_event(job)
    result = event.get("result")
    if isinstance(result, dict) and isinstance(result.get("blob_id"), str):
        result = dict(result)
        result["audio_url"] = absolute_url(
            request, platform, platform.signer.url_path(result["blob_id"])
        )
        event["result"] = result
    return JobOut.model_validate(event)


@router.get(
    "/{job_id}", response_model=JobOut, responses=NATIVE_ERRORS.responses(401, 404, 429, 500)
)
def get_job(job_id: str, request: Request, principal: CurrentKey, services: Services) -> JobOut:
    return job_out(request, services, services.jobs.get(principal, job_id))


@router.post(
    "/{job_id}/cancel",
    response_model=JobOut,
    responses=NATIVE_ERRORS.responses(401, 404, 429, 500),
)
def cancel_job(job_id: str, request: Request, principal: CurrentKey, services: Services) -> JobOut:
    """Cancel a job that has not started; its credits are refunded. A running or finished
    job is returned unchanged."""
    return job_out(request, services, services.jobs.cancel(principal, job_id))
