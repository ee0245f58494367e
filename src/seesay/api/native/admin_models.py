"""``/v1/admin/models``: the owner lists the model catalogue and pulls models as jobs."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query, Request, status
from pydantic import BaseModel, Field

from seesay.api.deps import CurrentKey, Services
from seesay.api.native.errors import NATIVE_ERRORS
from seesay.api.native.jobs import job_out
from seesay.api.native.schemas import JobOut

__all__ = ["router"]

router = APIRouter(prefix="/v1/admin/models", tags=["admin"])


class ModelOut(BaseModel):
    id: str
    task: str
    engine: str
    installed: bool
    size_bytes: int | None
    size_exact: bool
    licence: str
    languages: list[str]
    note: str
    requires: list[str]
    problems: list[str] | None = None  # of an installed model: missing or resized files
    load_error: str | None = Field(
        None, description="Of an installed model: why its engine failed to load, if it did."
    )
    chosen: bool = Field(
        False,
        description="The model chosen for its task (seesay models use, or the models.vision "
        "setting): it serves as the task's default engine.",
    )


class ModelListOut(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelOut]


@router.get("", response_model=ModelListOut, responses=NATIVE_ERRORS.responses(401, 403, 429, 500))
def list_models(
    principal: CurrentKey,
    services: Services,
    task: str | None = Query(None, description="vision, tts, stt or translate."),
    installed: bool = Query(False, description="Installed models only."),
) -> ModelListOut:
    """The model catalogue and what is installed (owner only)."""
    rows = services.models_admin.list(principal, task=task, installed_only=installed)
    return ModelListOut(data=[ModelOut.model_validate(r) for r in rows])


@router.post(
    "/{model_id}/pull",
    response_model=JobOut,
    status_code=status.HTTP_202_ACCEPTED,
    responses=NATIVE_ERRORS.responses(401, 403, 404, 429, 500),
)
def pull_model(
    model_id: str, request: Request, principal: CurrentKey, services: Services
) -> JobOut:
    """Pull a catalogue model as a job (owner only); poll ``/v1/jobs/{id}`` for progress."""
    return job_out(request, services, services.models_admin.pull(principal, model_id))
