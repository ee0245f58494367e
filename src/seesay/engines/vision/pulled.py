"""Vision models pulled by ``seesay models`` (Florence-2, SmolVLM, Qwen2.5-VL...) as engines.

``PulledVisionModels`` is the registry's source of them (``registry.EngineSource``): it
re-surveys the models folder when a model is pulled or removed, or another chosen with
``seesay models use`` (or ``SEESAY_MODELS__VISION``), so they serve without a restart. Each
installed vision model of the catalogue whose engine is ``transformers`` becomes a
``PulledVisionEngine`` named by its id; the chosen one comes first, i.e. is the default.

A chosen model that is not installed is still listed (so ``/readyz`` says why it does not
serve): loading it pulls it when ``SEESAY_MODELS__AUTO_PULL=true``, else fails with the
command that installs it. Nothing else is downloaded at request time.

A model that fails to load raises ``EngineUnavailable`` (the describe service then falls back
to the configured engine) and the reason is written next to the model for ``models list``.
The failure is remembered, so requests do not each wait on a hopeless load, but only until the
models folder changes (a pull, a removal) or ``RETRY_SECONDS`` have passed: a failure that
was passing (a Hub that did not answer an auto-pull, memory short for a moment) heals.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Final

from seesay.engines.base import Engine, EngineContext, Task
from seesay.engines.vision.hf import HfVisionEngine
from seesay.engines.vision.settings import HfVisionSettings
from seesay.errors import EngineUnavailable, SeeSayError
from seesay.models import ModelManager, ModelsSettings
from seesay.models.catalogue import Catalogue, CatalogueEntry, load_catalogue
from seesay.models.hub import HubSource
from seesay.models.store import InstalledModel, ModelStore, choices_stamp

__all__ = ["RETRY_SECONDS", "PulledVisionEngine", "PulledVisionModels"]

ENGINE = "transformers"  # the catalogue's engine for models this module runs
#: how long a failed load is answered at once from memory before it is tried again
RETRY_SECONDS: Final = 300.0

Clock = Callable[[], float]


class PulledVisionEngine(HfVisionEngine):
    """One pulled model (``installed``), or a chosen one not installed yet (``None``)."""

    def __init__(
        self,
        entry: CatalogueEntry,
        installed: InstalledModel | None,
        store: ModelStore,
        models: ModelsSettings,
        ctx: EngineContext,
        pull: Callable[[str], InstalledModel],
        clock: Clock = time.monotonic,
    ) -> None:
        path = str(installed.path) if installed is not None else ""
        super().__init__(
            HfVisionSettings(
                model_path=path,
                name=entry.id,
                device=models.device,
                max_new_tokens=models.max_new_tokens,
                local_files_only=True,
                languages=list(entry.languages),
            ),
            ctx,
        )
        self._entry, self._installed, self._store, self._models = entry, installed, store, models
        self._pull, self._clock = pull, clock
        self._info = dataclasses.replace(
            self._info,
            model=f"{entry.repo}@{entry.revision}",
            licence=entry.licence,
            description=f"Pulled vision model: {entry.note}",
            extra={"pulled": True, "installed": installed is not None},
        )
        self._error: str | None = None
        # When the last load failed, and what the models folder held then.
        self._failed_at = 0.0
        self._failed_seen: Mapping[str, InstalledModel] | None = None

    def parts(self) -> dict[str, dict[str, Any]]:
        """For ``/readyz``: the model, ``failed`` with the reason once a load failed."""
        if self._error is not None:
            return {"model": {"status": "failed", "error": self._error}}
        return {"model": {"status": "loaded" if self._model is not None else "not_loaded"}}

    def _load(self) -> None:
        # A model that failed fails again at once while nothing changed: a request must not
        # wait on a hopeless load each time (see the module's docstring).
        if self._error is not None:
            fresh = self._clock() - self._failed_at < RETRY_SECONDS
            if fresh and self._store.installed() is self._failed_seen:
                raise EngineUnavailable(self._error)
        try:
            if self._installed is None:
                self._installed = self._auto_pull()
                self._s = self._s.model_copy(update={"model_path": str(self._installed.path)})
            super()._load()
        except Exception as exc:
            # A pulled folder is data: whatever fails in loading it means "cannot load".
            reason = exc.message if isinstance(exc, SeeSayError) else f"{type(exc).__name__}: {exc}"
            # The manager's errors (a failed auto-pull) already begin with the model's id.
            named = reason.startswith(f"{self._entry.id}: ")
            self._error = reason if named else f"{self._entry.id}: {reason}"
            self._failed_at, self._failed_seen = self._clock(), self._store.installed()
            if self._installed is not None:
                self._store.record_load_error(self._installed, self._error)
            raise EngineUnavailable(self._error) from exc
        self._error = None
        self._store.record_load_error(self._installed, None)

    def _auto_pull(self) -> InstalledModel:
        model_id = self._entry.id
        if not self._models.auto_pull:
            raise EngineUnavailable(
                f"it is not installed: run `seesay models pull {model_id}` "
                "(or set SEESAY_MODELS__AUTO_PULL=true)"
            )
        return self._pull(model_id)


class PulledVisionModels:
    """The registry's source of pulled vision engines (see the module's docstring)."""

    task = Task.VISION

    def __init__(
        self,
        models: ModelsSettings,
        models_dir: Path,
        ctx: EngineContext,
        *,
        clock: Clock = time.monotonic,
    ) -> None:
        self._models, self._ctx, self._dir, self._clock = models, ctx, models_dir, clock
        # The registry's engines share one store, and so its survey of the pulled models.
        shared = ctx.model_store
        self._store = (
            shared if shared is not None and shared.root == models_dir else ModelStore(models_dir)
        )
        self._catalogue: Catalogue | None = None
        self._manager: ModelManager | None = None
        self._engines: dict[tuple[str, tuple[int, int] | None], PulledVisionEngine] = {}
        self._lock = threading.Lock()

    def stamp(self) -> object:
        """Changes when a model is pulled, pulled again or removed, or the choice changes."""
        return (self._store.installed(), choices_stamp(self._dir))

    def pull(self, model_id: str) -> InstalledModel:
        """Pull ``model_id`` (a chosen model's auto-pull) with one manager kept for them."""
        manager = self._manager
        if manager is None:
            catalogue = self._catalogue or load_catalogue(self._models.extra_catalogue)
            hub = HubSource(endpoint=self._models.hf_endpoint)
            manager = self._manager = ModelManager(self._store, catalogue, hub)
        manager.pull(model_id)
        return self._store.get(model_id)

    def preferred(self) -> str | None:
        """The chosen model's id: ``seesay models use``, else the ``vision`` setting."""
        return self._store.choices().get(self.task.value) or self._models.vision

    def engines(self) -> list[Engine]:
        """An engine per installed vision model (the same object while it stays installed),
        plus the chosen model when it is not installed."""
        try:
            catalogue = self._catalogue or load_catalogue(self._models.extra_catalogue)
        except SeeSayError:
            return []  # a broken extra catalogue: `models list` says why
        self._catalogue = catalogue
        installed = self._store.installed()
        wanted: list[tuple[CatalogueEntry, InstalledModel | None]] = []
        for model_id, model in installed.items():
            if model_id in catalogue:
                entry = catalogue.get(model_id)
                if entry.task == self.task.value and entry.engine == ENGINE:
                    wanted.append((entry, model))
        chosen = self.preferred()
        if chosen and chosen not in installed and chosen in catalogue:
            entry = catalogue.get(chosen)
            if entry.task == self.task.value and entry.engine == ENGINE:
                wanted.append((entry, None))
        out: list[Engine] = []
        with self._lock:
            kept: dict[tuple[str, tuple[int, int] | None], PulledVisionEngine] = {}
            for entry, found in wanted:
                key = (entry.id, _version(found))
                engine = self._engines.get(key) or PulledVisionEngine(
                    entry, found, self._store, self._models, self._ctx, self.pull, self._clock
                )
                kept[key] = engine
                out.append(engine)
            self._engines = kept
        return out


def _version(model: InstalledModel | None) -> tuple[int, int] | None:
    """Tells one installation of a model from the next (a pull again, an import)."""
    return model.version if model is not None else None
