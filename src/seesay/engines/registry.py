"""The engine registry: the table of configured engines, loaded lazily once and shared.

Built from settings by ``build_registry``; each task package contributes its engines in
preference order through its ``build(settings, ctx)`` function. An engine loads on first use
under a per-engine lock, so concurrent first requests load a model once.

Work holds an engine through a *lease* (``with registry.lease(task, name) as engine:``): a
reference count on the engine's slot. ``unload_idle`` (the server calls it periodically) frees
only engines that no lease holds and that nobody released for a while, so an engine is never
unloaded under a request that is still using it. ``get`` returns a loaded engine without a
lease, for capability checks that do not run it.

Engines that come and go while the server runs (models pulled by ``seesay models``) come from
*sources* (``EngineSource``): when a source's stamp changes the registry asks it again for its
engines, appends them after the configured ones of its task, and puts the source's preferred
engine first (so ``seesay models use`` changes the default without a restart). A configured
engine keeps its name against a source's engine of the same name.

An engine whose load fails (``EngineUnavailable``) is remembered with the reason
(:meth:`EngineRegistry.load_error`) until it loads: ``/readyz`` reports it and the describe
service falls back past it.

With :meth:`EngineRegistry.report_to` the registry records into a process's ``Metrics`` how
long each load took and how long each lease held its engine (the engine's latency per call),
and traces each load (``engine.load``) and each lease (``engine.call``) as a span.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from typing import Protocol, TypeVar, cast

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
from seesay.errors import EngineUnavailable, SeeSayError
from seesay.metrics import Metrics
from seesay.tracing import Tracing

__all__ = ["EngineRegistry", "EngineSource", "build_registry"]

E = TypeVar("E", bound=Engine)

log = logging.getLogger(__name__)


class EngineSource(Protocol):
    """Engines of one task that come and go (see the module's docstring)."""

    task: Task

    def stamp(self) -> object:
        """Cheap; changes whenever ``engines`` or ``preferred`` may answer otherwise."""
        ...

    def engines(self) -> list[Engine]:
        """The engines now, in order; the same object for an engine that stays."""
        ...

    def preferred(self) -> str | None:
        """The name of the engine to make the task's default, if any."""
        ...


@dataclass
class _Slot:
    """One engine's state. ``lock`` guards ``loaded`` and ``leases`` together, so a lease is
    never taken on an engine being unloaded, nor an engine unloaded under a lease."""

    engine: Engine
    lock: threading.Lock = field(default_factory=threading.Lock)
    loaded: bool = False
    leases: int = 0
    last_used: float = 0.0
    error: str | None = None  # why the last load failed


class EngineRegistry:
    """Engines by task, in preference order; the first of a task is its default."""

    def __init__(
        self,
        engines: Iterable[Engine],
        *,
        clock: Callable[[], float] = time.monotonic,
        sources: Iterable[EngineSource] = (),
    ) -> None:
        self._clock = clock
        self._metrics: Metrics | None = None
        self._tracing = Tracing()
        self._slots: dict[tuple[Task, str], _Slot] = {}
        self._order: dict[Task, list[str]] = {}
        for engine in engines:
            info = engine.info
            key = (info.task, info.name)
            if key in self._slots:
                raise ValueError(f"engine {info.name!r} registered twice for {info.task}")
            self._slots[key] = _Slot(engine)
            self._order.setdefault(info.task, []).append(info.name)
        self._configured = {t: list(names) for t, names in self._order.items()}
        self._sources = list(sources)
        self._stamps: list[object] = [object() for _ in self._sources]  # never equal: survey
        self._survey_lock = threading.Lock()

    def _refresh(self) -> None:
        """Survey the sources whose stamp changed (see the module's docstring). The tables
        are replaced, never changed in place, so readers need no lock."""
        if not self._sources:
            return
        stamps = [source.stamp() for source in self._sources]
        if stamps == self._stamps:
            return
        with self._survey_lock:
            if stamps == self._stamps:
                return
            slots = dict(self._slots)
            order = {t: list(n) for t, n in self._order.items()}
            for task in {s.task for s in self._sources}:
                configured = self._configured.get(task, [])
                names = list(configured)
                for source in (s for s in self._sources if s.task == task):
                    for engine in source.engines():
                        name = engine.info.name
                        if name in configured or name in names:
                            continue  # a configured engine keeps its name
                        slot = slots.get((task, name))
                        if slot is None or slot.engine is not engine:
                            slots[(task, name)] = _Slot(engine)
                        names.append(name)
                    preferred = source.preferred()
                    if preferred in names and preferred not in configured:
                        names.remove(preferred)
                        names.insert(0, preferred)
                for t, name in list(slots):
                    if t == task and name not in names:
                        self._retire(slots.pop((t, name)))
                order[task] = names
            self._slots, self._order = slots, order
            self._stamps = stamps

    @staticmethod
    def _retire(slot: _Slot) -> None:
        """Unload an engine that left its source (a lease still holding it keeps using it;
        its model is dropped with the last reference)."""
        with slot.lock:
            if slot.loaded and slot.leases == 0:
                slot.engine.unload()
                slot.loaded = False

    def load_error(self, task: Task, name: str) -> str | None:
        """Why engine ``name`` of ``task`` failed to load last (None: it did not fail)."""
        self._refresh()
        slot = self._slots.get((task, name))
        return slot.error if slot is not None else None

    def infos(self, task: Task | None = None) -> list[EngineInfo]:
        self._refresh()
        tasks = [task] if task is not None else list(self._order)
        return [self._slots[(t, n)].engine.info for t in tasks for n in self._order.get(t, [])]

    def names(self, task: Task) -> list[str]:
        self._refresh()
        return list(self._order.get(task, []))

    def has(self, task: Task, name: str | None = None) -> bool:
        self._refresh()
        if name is None:
            return bool(self._order.get(task))
        return (task, name) in self._slots

    def _slot(self, task: Task, name: str | None) -> _Slot:
        self._refresh()
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

    def report_to(self, metrics: Metrics, tracing: Tracing | None = None) -> None:
        """Record engine loads and lease durations into ``metrics`` (and as spans into
        ``tracing``) from now on (a registry shared by several platforms reports to the last
        one that asked)."""
        self._metrics = metrics
        self._tracing = tracing or Tracing()

    def _load(self, slot: _Slot) -> None:
        """Load under the slot's lock (held by the caller); each load is logged with its
        duration (under the request or job that needed the engine first)."""
        if not slot.loaded:
            info = slot.engine.info
            started = time.perf_counter()
            try:
                with self._tracing.span("engine.load", _span_attributes(info), activate=False):
                    slot.engine.load()
            except SeeSayError as exc:
                slot.error = exc.message
                logs.event(
                    log,
                    "engine failed to load",
                    logging.WARNING,
                    task=info.task.value,
                    engine=info.name,
                    error=exc.message,
                )
                raise
            slot.loaded, slot.error = True, None
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
        info = slot.engine.info
        started = time.perf_counter()
        # Not activated: a lease held by a streaming generator may end in another context.
        span = self._tracing.span("engine.call", _span_attributes(info), activate=False)
        try:
            with span:
                yield slot.engine
        finally:
            with slot.lock:
                slot.leases -= 1
                slot.last_used = self._clock()
            if self._metrics is not None:
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
        self._refresh()
        return [cast(E, self._slots[(task, n)].engine) for n in self._order.get(task, [])]

    def loaded(self) -> list[str]:
        self._refresh()
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


def _span_attributes(info: EngineInfo) -> dict[str, str]:
    return {"seesay.engine.task": info.task.value, "seesay.engine.name": info.name}


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
    registry = EngineRegistry(engines, sources=vision.sources(ctx))
    built.append(registry)
    return registry
