"""Job status and cancellation."""

from __future__ import annotations

from fastapi import APIRouter, Request

from seesay.api.deps import CurrentKey, Services
from seesay.api.native.errors import NATIVE_ERRORS
from seesay.api.native.schemas import JobOut
from seesay.api.urls import origin
from seesay.jobs.store import JobView
from seesay.platform import Platform

__all__ = ["job_out", "router"]

router = APIRouter(prefix="/v1/jobs", tags=["jobs"])


def job_out(request: Request, platform: Platform, job: JobView) -> JobOut:
    """The job as clients see it, and as its webhook showed it: stored audio gets a freshly
    signed URL."""
    return JobOut.model_validate(platform.job_presenter.event(job, origin(request, platform)))


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
