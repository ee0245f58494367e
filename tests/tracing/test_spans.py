"""With tracing on, a real request through the app, a job and a worker call produce one span
tree per request: the request's server span, the engine loads and calls under it, the job's
attempt and webhook in the same trace (the webhook and upstream requests carry its
``traceparent``), and no key or signature in any attribute.

The SDK's ``InMemorySpanExporter`` receives the spans through ``Overrides.span_exporter``."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from seesay.api import create_app
from seesay.engines.registry import EngineRegistry
from seesay.engines.translate.libretranslate import LibreTranslateEngine
from seesay.engines.translate.settings import LibreTranslateSettings
from seesay.platform import Overrides, Platform
from seesay.settings import load_settings
from support.accounts import make_key
from support.clone_samples import Hooks, webhook_receiver
from support.upstream_openai import UPSTREAM_KEY, Upstream, start_upstream

CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
CALLER_PARENT = f"00-{CALLER_TRACE}-00f067aa0ba902b7-01"


def _served(tmp_path: Path, exporter: InMemorySpanExporter, **settings: Any) -> Platform:
    return Platform.build(
        load_settings(data_dir=tmp_path, tracing={"enabled": True}, **settings),
        overrides=Overrides(span_exporter=exporter),
    )


@pytest.fixture
def exporter() -> InMemorySpanExporter:
    return InMemorySpanExporter()


def _attributes_text(spans: list[ReadableSpan]) -> str:
    """Every span's name and attribute values, and its resource's, as one string."""
    parts: list[str] = []
    for span in spans:
        parts.append(span.name)
        parts += [str(v) for v in (span.attributes or {}).values()]
        parts += [str(v) for v in span.resource.attributes.values()]
        parts += [str(v) for e in span.events for v in (e.attributes or {}).values()]
    return "\n".join(parts)


def _one(spans: list[ReadableSpan], name: str) -> ReadableSpan:
    found = [s for s in spans if s.name == name]
    assert len(found) == 1, [s.name for s in spans]
    return found[0]


def _hex(span: ReadableSpan) -> tuple[str, str]:
    assert span.context is not None
    return f"{span.context.trace_id:032x}", f"{span.context.span_id:016x}"


def _parent_id(span: ReadableSpan) -> str | None:
    return None if span.parent is None else f"{span.parent.span_id:016x}"


def test_a_request_is_a_server_span_with_its_engine_load_and_call_under_it(
    tmp_path: Path, exporter: InMemorySpanExporter
) -> None:
    platform = _served(tmp_path, exporter)
    key = make_key(platform, credits=5)
    try:
        with TestClient(create_app(platform.settings, platform=platform)) as client:
            answer = client.post(
                "/v1/speech",
                json={"text": "Tracing a request.", "format": "wav"},
                headers={"Authorization": f"Bearer {key.key}", "traceparent": CALLER_PARENT},
            )
            assert answer.status_code == 200, answer.text
    finally:
        platform.close()
    spans = list(exporter.get_finished_spans())
    server = _one(spans, "POST /v1/speech")
    assert server.kind == SpanKind.SERVER
    assert dict(server.attributes or {}) == {
        "http.request.method": "POST",
        "http.route": "/v1/speech",
        "http.response.status_code": 200,
        "seesay.request_id": answer.headers["X-Request-Id"],
        "seesay.account_id": key.account_id,
    }
    trace_id, server_id = _hex(server)
    assert trace_id == CALLER_TRACE  # the caller's traceparent is continued
    load, call = _one(spans, "engine.load"), _one(spans, "engine.call")
    for engine_span in (load, call):
        assert _hex(engine_span)[0] == trace_id
        assert _parent_id(engine_span) == server_id
        assert (engine_span.attributes or {})["seesay.engine.task"] == "tts"
    assert (call.attributes or {})["seesay.engine.name"] == (load.attributes or {})[
        "seesay.engine.name"
    ]
    text = _attributes_text(spans)
    assert key.key not in text
    assert key.key[-12:] not in text
    # The control: what the spans do carry is in the text searched.
    assert answer.headers["X-Request-Id"] in text
    assert key.account_id in text


def test_a_secret_put_in_an_attribute_by_mistake_is_masked(
    tmp_path: Path, exporter: InMemorySpanExporter
) -> None:
    platform = _served(tmp_path, exporter)
    key = make_key(platform, credits=0)
    try:
        with platform.tracing.span("careless", {"url": "https://x.test/a?sig=abcdef123&k=1"}) as s:
            s.set({"header": f"Bearer {key.key}"})
    finally:
        platform.close()
    (span,) = exporter.get_finished_spans()
    assert dict(span.attributes or {}) == {
        "url": "https://x.test/a?sig=[redacted]&k=1",
        "header": "Bearer [redacted]",
    }


def test_a_job_runs_in_the_submitting_requests_trace_and_its_webhook_carries_it(
    tmp_path: Path, exporter: InMemorySpanExporter
) -> None:
    platform = _served(tmp_path, exporter, fetch={"allowed_hosts": ["127.0.0.1"]})
    key = make_key(platform, credits=20)
    headers = {"X-API-Key": key.key}
    hooks: Hooks
    try:
        with (
            webhook_receiver() as hooks,
            TestClient(create_app(platform.settings, platform=platform)) as client,
        ):
            created = client.post(
                "/v1/sounds",
                headers=headers,
                json={"prompt": "rain", "duration_seconds": 1, "webhook_url": hooks.url},
            )
            assert created.status_code == 202, created.text
            job = _wait(lambda: _finished(client, headers, created.json()["id"]))
            assert job["status"] == "succeeded", job
            _wait(lambda: hooks.received or None)
            # A signed URL fetched through the app: its signature must stay out of spans.
            audio_url = job["result"]["audio_url"].replace("http://testserver", "")
            assert "sig=" in audio_url
            assert client.get(audio_url).status_code == 200
    finally:
        platform.close()
    spans = list(exporter.get_finished_spans())
    submit = _one(spans, "POST /v1/sounds")
    trace_id, submit_id = _hex(submit)
    attempt = _one(spans, "job sound")
    assert attempt.kind == SpanKind.CONSUMER
    assert _hex(attempt)[0] == trace_id
    assert _parent_id(attempt) == submit_id
    assert (attempt.attributes or {})["seesay.job_id"] == created.json()["id"]
    assert (attempt.attributes or {})["seesay.request_id"] == created.headers["X-Request-Id"]
    sound_call = next(s for s in spans if s.name == "engine.call")
    assert _parent_id(sound_call) == _hex(attempt)[1]
    webhook = _one(spans, "job.webhook")
    assert _hex(webhook)[0] == trace_id
    received_headers = {k.lower(): v for k, v in hooks.received[0][0].items()}
    assert received_headers["traceparent"].split("-")[1:3] == [trace_id, _hex(webhook)[1]]
    text = _attributes_text(spans)
    signature = audio_url.split("sig=", 1)[1].split("&", 1)[0]
    for secret in (key.key, signature, received_headers["seesay-signature"]):
        assert secret not in text
    assert "sig=" not in text
    assert _one(spans, "GET /files/{blob_id}").attributes is not None


def test_a_failed_job_attempt_is_a_failed_span(
    tmp_path: Path, exporter: InMemorySpanExporter
) -> None:
    platform = _served(tmp_path, exporter)
    key = make_key(platform, credits=20)
    headers = {"X-API-Key": key.key}
    try:
        with TestClient(create_app(platform.settings, platform=platform)) as client:
            created = client.post("/v1/sounds", headers=headers, json={"prompt": "qwzx flurb"})
            assert created.status_code == 202, created.text
            job = _wait(lambda: _finished(client, headers, created.json()["id"]))
            assert job["status"] == "failed"
    finally:
        platform.close()
    attempt = _one(list(exporter.get_finished_spans()), "job sound")
    assert attempt.status.status_code == StatusCode.ERROR
    assert (attempt.attributes or {})["error.type"] == "InvalidRequest"


def test_a_call_run_by_a_worker_is_a_child_of_the_request(
    tmp_path: Path, exporter: InMemorySpanExporter
) -> None:
    platform = _served(tmp_path, exporter, inline_inference=False)
    key = make_key(platform, credits=5)
    try:
        # The embedded consumer plays the worker: the call crosses the queue.
        with TestClient(create_app(platform.settings, platform=platform)) as client:
            answer = client.post(
                "/v1/speech",
                json={"text": "Sent to a worker.", "format": "wav"},
                headers={"Authorization": f"Bearer {key.key}"},
            )
            assert answer.status_code == 200, answer.text
    finally:
        platform.close()
    assert not platform.executor.inline
    spans = list(exporter.get_finished_spans())
    trace_id, server_id = _hex(_one(spans, "POST /v1/speech"))
    call = _one(spans, "job.call")
    assert (_hex(call)[0], _parent_id(call)) == (trace_id, server_id)
    assert (call.attributes or {})["seesay.request_id"] == answer.headers["X-Request-Id"]
    assert _parent_id(_one(spans, "engine.call")) == _hex(call)[1]


@pytest.fixture(scope="module")
def upstream() -> Iterator[Upstream]:
    with start_upstream() as server:
        yield server


@pytest.mark.slow  # starts the upstream provider as a process
def test_an_upstream_chat_call_is_a_client_span_that_sends_traceparent(
    tmp_path: Path, exporter: InMemorySpanExporter, upstream: Upstream
) -> None:
    provider = {
        "name": "local",
        "base_url": upstream.base_url,
        "api_key": upstream.api_key,
        "models": ["echo-model"],
    }
    platform = _served(tmp_path, exporter, providers=[provider])
    key = make_key(platform, credits=5)
    upstream.clear()
    try:
        with TestClient(create_app(platform.settings, platform=platform)) as client:
            answer = client.post(
                "/v1/chat/completions",
                headers={"Authorization": f"Bearer {key.key}"},
                json={"model": "echo-model", "messages": [{"role": "user", "content": "Hi"}]},
            )
            assert answer.status_code == 200, answer.text
    finally:
        platform.close()
    spans = list(exporter.get_finished_spans())
    trace_id, server_id = _hex(_one(spans, "POST /v1/chat/completions"))
    out = _one(spans, "chat.upstream")
    assert out.kind == SpanKind.CLIENT
    assert (_hex(out)[0], _parent_id(out)) == (trace_id, server_id)
    assert (out.attributes or {})["http.response.status_code"] == 200
    (sent,) = [r for r in upstream.requests() if r["path"].endswith("/chat/completions")]
    assert sent["headers"]["traceparent"].split("-")[1:3] == [trace_id, _hex(out)[1]]
    assert UPSTREAM_KEY not in _attributes_text(spans)
    assert key.key not in _attributes_text(spans)


def test_a_remote_engine_sends_the_requests_traceparent(
    tmp_path: Path, exporter: InMemorySpanExporter
) -> None:
    sent: list[httpx.Headers] = []

    def libretranslate(request: httpx.Request) -> httpx.Response:
        sent.append(request.headers)
        if request.url.path == "/languages":
            languages = [
                {"code": "en", "name": "English", "targets": ["pb"]},
                {"code": "pb", "name": "Portuguese (Brazil)", "targets": ["en"]},
            ]
            return httpx.Response(200, json=languages)
        return httpx.Response(200, json={"translatedText": "O gato"})

    engine = LibreTranslateEngine(
        LibreTranslateSettings(base_url="http://127.0.0.1:9"),
        transport=httpx.MockTransport(libretranslate),
    )
    engines = EngineRegistry([engine])
    platform = Platform.build(
        load_settings(data_dir=tmp_path, tracing={"enabled": True}),
        overrides=Overrides(engines=engines, span_exporter=exporter),
    )
    key = make_key(platform, credits=5)
    try:
        with TestClient(create_app(platform.settings, platform=platform)) as client:
            answer = client.post(
                "/v1/translate",
                headers={"X-API-Key": key.key},
                json={"text": "The cat", "source": "en", "target": "pt-BR"},
            )
            assert answer.status_code == 200, answer.text
    finally:
        platform.close()
        engines.close()
    trace_id, server_id = _hex(_one(exporter.get_finished_spans(), "POST /v1/translate"))
    assert sent
    assert {tuple(h["traceparent"].split("-")[1:3]) for h in sent} == {(trace_id, server_id)}


def _finished(client: TestClient, headers: dict[str, str], job_id: str) -> Any:
    job = client.get(f"/v1/jobs/{job_id}", headers=headers).json()
    return job if job["status"] in ("succeeded", "failed", "cancelled") else None


def _wait(probe: Any, timeout: float = 60) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = probe()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError("timed out")
