"""What the in-process Hugging Face engines (vision, clone, text-to-audio) share when loading.

``HfModel`` is their lifecycle (load once under a lock, unload drops the parts);
``import_runtime`` imports torch and transformers, which only ``load()`` may do; ``loading``
turns a model folder that will not load into ``EngineUnavailable`` with the reason;
``place`` sets torch's thread budget and puts the loaded modules on their device in
inference mode.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, Final

from seesay.engines.base import EngineContext
from seesay.errors import EngineUnavailable

__all__ = ["INSTALL_HINT", "HfModel", "import_runtime", "loading", "place"]

INSTALL_HINT: Final = "pip install 'seesay[hf]'"


def import_runtime(who: str) -> tuple[Any, Any]:
    """The ``torch`` and ``transformers`` modules; ``EngineUnavailable`` saying that ``who``
    needs them, with the install hint, when they are not installed."""
    try:
        import torch
        import transformers
    except ImportError as exc:
        raise EngineUnavailable(f"{who} needs torch and transformers: {INSTALL_HINT}") from exc
    return torch, transformers


@contextmanager
def loading(what: str) -> Iterator[None]:
    """Around ``from_pretrained`` calls: a missing, partial or foreign folder, weights that do
    not fit their config (transformers raises RuntimeError), or a tokenizer dependency that
    is not installed raises ``EngineUnavailable`` "could not load ``what``: reason"."""
    try:
        yield
    except (OSError, ValueError, KeyError, ImportError, RuntimeError) as exc:
        raise EngineUnavailable(f"could not load {what}: {exc}") from exc


def place(torch: Any, modules: Iterable[Any], device: str, threads: int) -> None:
    """Give torch ``threads`` threads and put each module (``None`` skipped) on ``device``
    in eval mode."""
    torch.set_num_threads(max(1, threads))
    for module in modules:
        if module is not None:
            module.to(device).eval()


class HfModel(ABC):
    """Load-once lifecycle of an in-process model. ``load`` runs ``_load`` under ``_lock``
    unless ``_model`` is set (``_load`` sets it last); ``unload`` runs ``_release`` under the
    lock. Inference holds ``_lock`` too: torch modules are not re-entrant."""

    def __init__(self, ctx: EngineContext) -> None:
        self._ctx = ctx
        self._lock = threading.Lock()
        self._torch: Any = None
        self._model: Any = None

    def load(self) -> None:
        with self._lock:
            if self._model is None:
                self._load()

    def unload(self) -> None:
        with self._lock:
            self._release()

    @abstractmethod
    def _load(self) -> None:
        """Import the runtime, read the folders and set the parts (``_model`` last)."""

    @abstractmethod
    def _release(self) -> None:
        """Drop every part ``_load`` set."""
