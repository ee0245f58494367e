"""Deadlines of inference calls: in this process (embedded) and on a worker (distributed)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from seesay.engines import deadline
from seesay.engines.deadline import Deadline, deadline_scope
from seesay.errors import EngineTimeout
from seesay.platform import Platform
from seesay.settings import load_settings
from support.accounts import make_key
from support.contracts import anything, json_call, json_job, run_json
from support.contracts import call as named_call
from support.contracts import kind as job_kind


class SlowFakeCall:
    """Test-only registered call: runs until released, checking its deadline every 10 ms
    when ``cooperative``. Records the deadline it ran under."""

    def __init__(self, *, cooperative: bool = True) -> None:
        self.cooperative = cooperative
        self.release = threading.Event()
        self.started = threading.Event()
        self.stopped = threading.Event()
        self.remaining: float | None = None
        self.calls = 0

    def __call__(self, payload: dict[str, Any]) -> dict[str, Any]:
        self.calls += 1
        self.remaining = deadline.remaining()
        self.started.set()
        try:
            while not self.release.wait(0.01):
                if self.cooperative:
                    deadline.check()
            return {"ok": True}
        finally:
            self.stopped.set()


def _platform(tmp_path: Path, **overrides: Any) -> Platform:
    settings = load_settings(
        data_dir=tmp_path, deadlines={"translate": 0.3, **overrides.pop("deadlines", {})}
    )
    return Platform.build(settings.model_copy(update=overrides))


@pytest.fixture
def embedded(tmp_path: Path) -> Iterator[Platform]:
    platform = _platform(tmp_path, deadlines={"inline_threads": 1})
    yield platform
    platform.close()


def test_a_deadline_scope_never_extends_the_enclosing_one() -> None:
    assert deadline.current() is None
    with deadline_scope(Deadline.after(0.05)) as outer:
        with deadline_scope(Deadline.after(60)) as inner:
            assert inner is outer
        with deadline_scope(Deadline.after(0.01)) as sooner:
            assert sooner is not outer
        time.sleep(0.06)
        with pytest.raises(EngineTimeout, match=r"deadline of 0\.05 seconds"):
            deadline.check()
    assert deadline.current() is None
    deadline.check()  # outside any call: nothing to enforce


def test_inline_call_answers_at_its_deadline_and_the_engine_stops(embedded: Platform) -> None:
    call = SlowFakeCall()
    embedded.handlers.register_call(named_call("translate.slow"), json_call(call))
    with pytest.raises(EngineTimeout) as raised:
        run_json(embedded.executor, "translate.slow", {})
    assert raised.value.status == 504
    assert call.remaining is not None
    assert 0 < call.remaining <= 0.3
    assert call.stopped.wait(10)  # it checked its deadline and gave its thread back
    assert deadline.current() is None  # the caller's context never held the deadline


def test_a_stuck_call_cannot_take_more_threads_than_the_pool(embedded: Platform) -> None:
    stuck = SlowFakeCall(cooperative=False)
    queued = SlowFakeCall()
    embedded.handlers.register_call(named_call("translate.stuck"), json_call(stuck))
    embedded.handlers.register_call(named_call("translate.queued"), json_call(queued))
    with pytest.raises(EngineTimeout):
        run_json(embedded.executor, "translate.stuck", {})
    assert stuck.started.is_set()
    assert not stuck.stopped.is_set()
    # The pool's only thread is still held: the next call times out without ever starting.
    with pytest.raises(EngineTimeout):
        run_json(embedded.executor, "translate.queued", {})
    stuck.release.set()
    assert stuck.stopped.wait(10)
    time.sleep(0.05)
    assert queued.calls == 0
    # With the thread back, calls run again.
    queued.release.set()
    assert run_json(embedded.executor, "translate.queued", {}) == {"ok": True}


def test_a_call_inside_a_call_runs_under_the_sooner_deadline(embedded: Platform) -> None:
    inner = SlowFakeCall()
    inner.release.set()
    embedded.handlers.register_call(named_call("translate.inner"), json_call(inner))
    embedded.handlers.register_call(
        named_call("describe.outer"),
        json_call(lambda payload: run_json(embedded.executor, "translate.inner", payload)),
    )
    assert run_json(embedded.executor, "describe.outer", {}) == {"ok": True}
    assert inner.remaining is not None
    assert inner.remaining <= 0.3


def test_a_worker_runs_the_call_under_the_remaining_budget(tmp_path: Path) -> None:
    platform = _platform(tmp_path, inline_inference=False)
    try:
        assert not platform.executor.inline
        platform.start(consume=True)  # the embedded consumer plays the worker
        call = SlowFakeCall()
        platform.handlers.register_call(named_call("translate.slow"), json_call(call))
        with pytest.raises(EngineTimeout, match="deadline"):
            run_json(platform.executor, "translate.slow", {})
        assert call.remaining is not None
        assert 0 < call.remaining <= 0.3
        assert call.stopped.wait(10)  # the worker's thread is free again
    finally:
        platform.close()


def test_a_call_whose_budget_ran_out_in_the_queue_never_runs(embedded: Platform) -> None:
    call = SlowFakeCall()
    embedded.handlers.register_call(named_call("translate.late"), json_call(call))
    sent = time.time() - 5.0
    answer = embedded.runtime.run_call("translate.late", {}, 2.0, sent)
    assert answer["error"]["type"] == "EngineTimeout"
    assert call.calls == 0
    # A message of an older sender, without a budget, still runs.
    call.release.set()
    assert embedded.runtime.run_call("translate.late", {}, None, None) == {"ok": {"ok": True}}


def test_a_job_past_its_deadline_fails_once_and_is_refunded(tmp_path: Path) -> None:
    platform = Platform.build(load_settings(data_dir=tmp_path, jobs={"deadline_seconds": 0.3}))
    try:
        handler = SlowFakeCall()
        platform.handlers.register_job(
            job_kind("slow"), json_job(lambda ctx, payload: handler(payload))
        )
        platform.start(consume=True)
        key = make_key(platform, credits=10)
        who = platform.accounts.authenticate(key.key)
        job = platform.jobs.submit(
            who, job_kind("slow"), anything({}), feature="describe", amount=2000
        )
        done = platform.jobs.wait(who, job.id, 20)
        assert done.status == "failed"
        assert done.error is not None
        assert done.error["code"] == "timeout"
        assert handler.calls == 1  # not retried: it would overrun again
        # The refund follows the status change: allow it a moment.
        for _ in range(100):
            if platform.ledger.balances(who.account_id).total == 10_000:
                break
            time.sleep(0.05)
        assert platform.ledger.balances(who.account_id).total == 10_000
    finally:
        platform.close()
