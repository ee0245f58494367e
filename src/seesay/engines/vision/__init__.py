"""The vision engines: the offline perception describer, the configured remote / HF engines, and
the models pulled by ``seesay models`` (``sources``: they come and go while the server runs).

Importing this package is cheap: engine modules import their runtimes only in ``load()``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from seesay.engines.base import Engine, EngineContext
from seesay.engines.vision.settings import VisionSettings
from seesay.models.settings import ModelsSettings

if TYPE_CHECKING:
    from seesay.engines.vision.pulled import PulledVisionModels

__all__ = ["build", "sources"]


def build(settings: VisionSettings, ctx: EngineContext) -> list[Engine]:
    """Construct (without loading) the configured vision engines in preference order."""
    engines: list[Engine] = []
    for name in dict.fromkeys(settings.engines):  # de-duplicated, order kept
        if name == "seesay-perception":
            from seesay.engines.vision.perception import PerceptionEngine

            engines.append(PerceptionEngine(ctx, ocr=settings.ocr, faces=settings.faces))
        elif name == "remote":
            from seesay.engines.vision.remote import RemoteVisionEngine

            engines.append(RemoteVisionEngine(settings.remote))
        elif name == "hf":
            from seesay.engines.vision.hf import HfVisionEngine

            engines.append(HfVisionEngine(settings.hf, ctx))
    return engines


def sources(ctx: EngineContext) -> list[PulledVisionModels]:
    """The registry's sources of vision engines that come and go: the pulled vision models
    (none without a models folder)."""
    from seesay.engines.vision.pulled import PulledVisionModels

    if ctx.models_dir is None:
        return []
    return [PulledVisionModels(ctx.models or ModelsSettings(), ctx.models_dir, ctx)]
