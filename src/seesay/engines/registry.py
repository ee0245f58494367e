"""The engine registry: the table of configured engines, loaded lazily once and shared.

Built from settings by ``build_registry``; each task package contributes its engines in
preference order through its ``build(settings, ctx)`` function. An engine loads on first use
under a per-engine lock, so concurrent first requests load a model once.

Work holds an engine through a *lease* (``with registry.lease(task, name) as engine:``): a
reference count on the engine's slot. ``unload_idle`` (the server calls it periodically) frees
only engines that no lease holds and that nobody released for a while, so an engine is never
unloaded under a request that is still using it. ``get`` returns a loaded engine without a
lease, for capability checks that do not run it.

With :meth:`EngineRegistry.report_to` the registry records into a process's ``Metrics`` how
long each load took and how long each lease held its engine (the engine's latency per call).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from typing import TypeVar, cast

from seesay import logs
from seesay.engines.base import (
    CloneEngine,
    Engine,
    EngineContext,
    EngineInfo,
    MusicEngine,
    SoundEngine,
    SttEngine,
    Task,
    TranslateEngine,
    TtsEngine,
    VisionEngine,
)
from seesay.engines.settings import EnginesSettings
from seesay.errors import EngineUnavailable
from seesay.metrics import Metrics

__all__ = ["EngineRegistry", "build_registry"]

E = TypeVar("E", bound=Engine)

log = logging.getLogger(__name__)


@dataclass
class _Slot:
    """One engine's state. ``lock`` guards ``loaded`` and ``leases`` together, so a lease is
    never taken on an engine being unloaded, nor an engine unloaded under a lease."""

    engine: Engine
    lock: threading.Lock = field(default_factory=threading.Lock)
    loaded: bool = False
    leases: int = 0
    last_used: float = 0.0


class EngineRegistry:
    """Engines by task, in preference order; the first of a task is its default."""

    def __init__(
        self,
        engines: Iterable[Engine],
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._clock = clock
        self._metrics: Metrics | None = None
        self._slots: dict[tuple[Task, str], _Slot] = {}
        self._order: dict[Task, list[str]] = {}
        for engine in engines:
            info = engine.info
            key = (info.task, info.name)
            if key in self._slots:
                raise ValueError(f"engine {info.name!r} registered twice for {info.task}")
            self._slots[key] = _Slot(engine)
            self._order.setdefault(info.task, []).append(info.name)

    def infos(self, task: Task | None = None) -> list[EngineInfo]:
        tasks = [task] if task is not None else list(self._order)
        return [self._slots[(t, n)].engine.info for t in tasks for n in self._order.get(t, [])]

    def names(self, task: Task) -> list[str]:
        return list(self._order.get(task, []))

    def has(self, task: Task, name: str | None = None) -> bool:
        if name is None:
            return bool(self._order.get(task))
        return (task, name) in self._slots

    def _slot(self, task: Task, name: str | None) -> _Slot:
        if name is None:
            names = self._order.get(task)
            if not names:
                raise EngineUnavailable(f"no {task.value} engine is configured")
            name = names[0]
        slot = self._slots.get((task, name))
        if slot is None:
            known = ", ".join(self._order.get(task, [])) or "none"
            raise EngineUnavailable(
                f"no {task.value} engine named {name!r} is configured (configured: {known})"
            )
        return slot

    def report_to(self, metrics: Metrics) -> None:
        """Record engine loads and lease durations into ``metrics`` from now on (a registry
        shared by several platforms reports to the last one that asked)."""
        self._metrics = metrics

    def _load(self, slot: _Slot) -> None:
        """Load under the slot's lock (held by the caller); each load is logged with its
        duration (under the request or job that needed the engine first)."""
        if not slot.loaded:
            started = time.perf_counter()
            slot.engine.load()
            slot.loaded = True
            info = slot.engine.info
            seconds = time.perf_counter() - started
            if self._metrics is not None:
                self._metrics.engine_loaded(info.task.value, info.name, seconds)
            logs.event(
                log,
                "engine loaded",
                task=info.task.value,
                engine=info.name,
                seconds=round(seconds, 3),
            )

    def get(self, task: Task, name: str | None = None) -> Engine:
        """The loaded engine ``name`` of ``task`` (the default one when ``name`` is None).

        No lease is held: use :meth:`lease` around work that runs the engine.
        """
        slot = self._slot(task, name)
        with slot.lock:
            self._load(slot)
            slot.last_used = self._clock()
        return slot.engine

    @contextmanager
    def lease(self, task: Task, name: str | None = None) -> Iterator[Engine]:
        """Hold the loaded engine for the block; idle unloading skips it until the block ends."""
        slot = self._slot(task, name)
        with slot.lock:
            self._load(slot)
            slot.leases += 1
        started = time.perf_counter()
        try:
            yield slot.engine
        finally:
            with slot.lock:
                slot.leases -= 1
                slot.last_used = self._clock()
            if self._metrics is not None:
                info = slot.engine.info
                self._metrics.engine_used(info.task.value, info.name, time.perf_counter() - started)

    def leases(self, task: Task, name: str | None = None) -> int:
        """How many leases hold engine ``name`` of ``task`` now."""
        return self._slot(task, name).leases

    def vision(self, name: str | None = None) -> VisionEngine:
        return cast(VisionEngine, self.get(Task.VISION, name))

    def tts(self, name: str | None = None) -> TtsEngine:
        return cast(TtsEngine, self.get(Task.TTS, name))

    def stt(self, name: str | None = None) -> SttEngine:
        return cast(SttEngine, self.get(Task.STT, name))

    def translator(self, name: str | None = None) -> TranslateEngine:
        return cast(TranslateEngine, self.get(Task.TRANSLATE, name))

    def cloner(self, name: str | None = None) -> CloneEngine:
        return cast(CloneEngine, self.get(Task.CLONE, name))

    def sound(self, name: str | None = None) -> SoundEngine:
        return cast(SoundEngine, self.get(Task.SOUND, name))

    def music(self, name: str | None = None) -> MusicEngine:
        return cast(MusicEngine, self.get(Task.MUSIC, name))

    def all_of(self, task: Task, kind: type[E]) -> list[E]:
        """Every engine of ``task`` (unloaded ones included), for capability look-ups."""
        return [cast(E, self._slots[(task, n)].engine) for n in self._order.get(task, [])]

    def loaded(self) -> list[str]:
        return [f"{t.value}/{n}" for (t, n), s in self._slots.items() if s.loaded]

    def unload_idle(self, max_idle_seconds: float) -> list[str]:
        """Unload engines no lease holds and nobody used for ``max_idle_seconds``.

        Returns ``task/name`` of each engine unloaded.
        """
        freed: list[str] = []
        for (task, name), slot in self._slots.items():
            with slot.lock:
                idle = self._clock() - slot.last_used >= max_idle_seconds
                if slot.loaded and slot.leases == 0 and idle:
                    slot.engine.unload()
                    slot.loaded = False
                    freed.append(f"{task.value}/{name}")
        return freed

    def close(self) -> None:
        """Unload every engine (shutdown: leases no longer matter)."""
        for slot in self._slots.values():
            with slot.lock:
                if slot.loaded:
                    slot.engine.unload()
                    slot.loaded = False


def build_registry(settings: EnginesSettings, ctx: EngineContext) -> EngineRegistry:
    """Construct (not load) every configured engine, in each task's preference order."""
    from seesay.engines import clone, music, sound, stt, translate, tts, vision

    engines: list[Engine] = []
    engines += vision.build(settings.vision, ctx)
    engines += tts.build(settings.tts, ctx)
    engines += stt.build(settings.stt, ctx)
    engines += translate.build(settings.translate, ctx)
    engines += sound.build(settings.sound, ctx)
    engines += music.build(settings.music, ctx)
    # The conversion cloner speaks through this registry's tts engines, which exist only once
    # the registry does: hand it a getter that looks them up when it is called.
    built: list[EngineRegistry] = []
    engines += clone.build(
        settings.clone,
        ctx,
        lambda name: cast(AbstractContextManager[TtsEngine], built[0].lease(Task.TTS, name)),
    )
    registry = EngineRegistry(engines)
    built.append(registry)
    return registry
