"""The owner's model management over the API (``/v1/admin/models``), for deployments where
nobody has a shell: the same catalogue and manager as ``seesay models``, a pull run as a job
whose progress says what it is doing. Every other account gets PermissionDenied."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from seesay.accounts.service import AccountService, Principal
from seesay.errors import PermissionDenied
from seesay.jobs.contracts import JobKind, JobOutcome
from seesay.jobs.handlers import Handlers, JobContext
from seesay.jobs.service import JobService
from seesay.jobs.store import JobView
from seesay.models import ModelManager, ModelsSettings, open_manager

__all__ = ["MODEL_PULL_JOB", "ModelPull", "ModelPulled", "ModelsAdmin"]


class ModelPull(BaseModel):
    model_id: str = Field(description="A catalogue id, e.g. piper:en_US-lessac-medium.")


class ModelPulled(BaseModel):
    installed: list[str] = Field(description="The models this pull installed.")


MODEL_PULL_JOB: JobKind[ModelPull] = JobKind("model_pull", ModelPull)


class ModelsAdmin:
    def __init__(
        self, accounts: AccountService, jobs: JobService, settings: ModelsSettings, data_dir: Path
    ) -> None:
        self._accounts = accounts
        self._jobs = jobs
        self._settings = settings
        self._data_dir = data_dir

    def register(self, handlers: Handlers) -> None:
        handlers.register_job(MODEL_PULL_JOB, self._job)

    def _manager(self) -> ModelManager:
        return open_manager(self._settings, self._data_dir)

    def _owner_only(self, principal: Principal) -> None:
        if not self._accounts.get_account(principal.account_id).is_owner:
            raise PermissionDenied("Only the owner account manages models.")

    def list(
        self, principal: Principal, *, task: str | None = None, installed_only: bool = False
    ) -> list[dict[str, Any]]:
        self._owner_only(principal)
        return self._manager().entries(task=task, installed_only=installed_only)

    def pull(self, principal: Principal, model_id: str) -> JobView:
        """Queue a pull of ``model_id`` (NotFound for an id the catalogue lacks); free."""
        self._owner_only(principal)
        self._manager().catalogue.get(model_id)
        return self._jobs.submit(
            principal, MODEL_PULL_JOB, ModelPull(model_id=model_id), feature="models", amount=0
        )

    def _job(self, ctx: JobContext, spec: ModelPull) -> JobOutcome:
        steps: list[str] = []

        def report(message: str) -> None:
            steps.append(message)
            ctx.report_progress({"message": message, "steps": steps[-20:]})

        done = self._manager().pull(spec.model_id, log=report)
        return JobOutcome(ModelPulled(installed=[m.id for m in done]), cost=0)
