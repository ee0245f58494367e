"""The owner's model management over the API (``/v1/admin/models``), for deployments where
nobody has a shell: the same catalogue and manager as ``seesay models``, a pull run as a job
whose progress says what it is doing. Every other account gets PermissionDenied."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from seesay.accounts.service import AccountService, Principal
from seesay.engines.base import Task
from seesay.engines.registry import EngineRegistry
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
        self,
        accounts: AccountService,
        jobs: JobService,
        settings: ModelsSettings,
        data_dir: Path,
        engines: EngineRegistry | None = None,
    ) -> None:
        self._accounts = accounts
        self._jobs = jobs
        self._settings = settings
        self._data_dir = data_dir
        self._engines = engines

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
        """The catalogue rows; an installed model's row says why its engine failed to load
        (``load_error``) and whether it is the chosen model of its task (``chosen``: by
        ``seesay models use``, else the ``models.vision`` setting)."""
        self._owner_only(principal)
        manager = self._manager()
        rows = manager.entries(task=task, installed_only=installed_only)
        vision = manager.store.choices().get("vision") or self._settings.vision
        for row in rows:
            if row["task"] == "vision":
                row["chosen"] = row["id"] == vision
            if row["installed"] and not row.get("load_error"):
                row["load_error"] = self._engine_error(row["task"], row["id"])
        return rows

    def _engine_error(self, task: str, model_id: str) -> str | None:
        """Why the engine serving ``model_id`` failed to load, as the registry knows it: the
        engine named by the model (pulled vision models) or the one that runs it (a pulled
        Whisper model)."""
        if self._engines is None:
            return None
        try:
            kind = Task(task)
        except ValueError:
            return None
        for info in self._engines.infos(kind):
            if info.name == model_id or model_id in info.extra.get("models", ()):
                error = self._engines.load_error(kind, info.name)
                if error is not None:
                    return error
        return None

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
