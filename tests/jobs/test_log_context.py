"""A call a worker runs for a request logs under that request's id and account, as the
request's own thread would (the distributed mode's engine loads and warnings then name it)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from seesay import logs
from seesay.platform import Platform
from seesay.settings import load_settings
from support.contracts import call as named_call
from support.contracts import json_call, run_json


def test_a_call_sent_to_a_worker_runs_under_the_sending_requests_context(tmp_path: Path) -> None:
    platform = Platform.build(load_settings(data_dir=tmp_path, inline_inference=False))
    seen: list[logs.LogContext | None] = []

    def remember(payload: dict[str, Any]) -> dict[str, Any]:
        context = logs.current()
        seen.append(None if context is None else logs.LogContext(**vars(context)))
        return {}

    try:
        platform.start(consume=True)  # the embedded consumer plays the worker
        platform.handlers.register_call(named_call("translate.remember"), json_call(remember))
        with logs.log_context("req_fromtheapi01", "acct_sender"):
            run_json(platform.executor, "translate.remember", {})
        run_json(platform.executor, "translate.remember", {})  # outside any request
    finally:
        platform.close()
    assert not platform.executor.inline
    first, second = seen
    assert first is not None
    assert (first.request_id, first.account_id) == ("req_fromtheapi01", "acct_sender")
    assert second is not None
    assert (second.request_id, second.account_id) == (None, None)
