"""Tracing is off by default and then costs no import; with an endpoint set, spans really
leave over OTLP/HTTP (a loopback receiver stands in for the collector).

FastAPI itself imports the OpenTelemetry *API* (``opentelemetry.context``, ``.trace``) for
its native telemetry, and redis-py imports the SDK's *metrics* when the SDK is installed, so
the off check is on what only SeeSay's tracing would bring in: the SDK's tracing, the OTLP
exporter and ``seesay.tracing.otel``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

from seesay.api import create_app
from seesay.platform import Platform
from seesay.settings import load_settings

SERVE_ONE_REQUEST = """
import json, sys
from fastapi.testclient import TestClient
from seesay.api import create_app
from seesay.settings import load_settings

settings = load_settings(data_dir=sys.argv[1])
with TestClient(create_app(settings)) as client:
    assert client.get("/healthz").status_code == 200
loaded = sorted(
    name for name in sys.modules
    if name.startswith(
        ("opentelemetry.sdk.trace", "opentelemetry.exporter", "seesay.tracing.otel")
    )
)
print(json.dumps(loaded))
"""


def _start(tmp_path: Path, **env: str) -> subprocess.Popen[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SEESAY_")}
    return subprocess.Popen(
        [sys.executable, "-c", SERVE_ONE_REQUEST, str(tmp_path)],
        env={**clean, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _modules_loaded(proc: subprocess.Popen[str]) -> list[str]:
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    loaded: list[str] = json.loads(out.strip().splitlines()[-1])
    return loaded


@pytest.mark.slow  # two fresh interpreters
def test_with_tracing_off_no_tracing_sdk_or_exporter_is_imported(tmp_path: Path) -> None:
    off = _start(tmp_path / "off")
    # The control, run alongside: the same process with tracing on does import them.
    on = _start(
        tmp_path / "on",
        SEESAY_TRACING__ENABLED="true",
        SEESAY_TRACING__ENDPOINT="http://127.0.0.1:9",
        SEESAY_TRACING__SAMPLE_RATIO="0",  # nothing to send, so no export retries to wait on
    )
    assert _modules_loaded(off) == []
    loaded = _modules_loaded(on)
    assert "seesay.tracing.otel" in loaded
    assert "opentelemetry.sdk.trace" in loaded
    assert any(name.startswith("opentelemetry.exporter.otlp") for name in loaded)


class _Collector:
    """A loopback OTLP/HTTP receiver: accepts ``POST /v1/traces`` and keeps each body."""

    def __init__(self) -> None:
        self.posts: list[tuple[str, str, bytes]] = []  # path, content type, body
        collector = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                collector.posts.append((self.path, self.headers["Content-Type"], body))
                self.send_response(200 if self.path == "/v1/traces" else 404)
                self.send_header("Content-Type", "application/x-protobuf")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def spans(self) -> list[tuple[str, str]]:
        """(service.name, span name) of every span received."""
        found = []
        for _path, _type, body in self.posts:
            request = ExportTraceServiceRequest.FromString(body)
            for resource_spans in request.resource_spans:
                service = next(
                    a.value.string_value
                    for a in resource_spans.resource.attributes
                    if a.key == "service.name"
                )
                for scope_spans in resource_spans.scope_spans:
                    found += [(service, span.name) for span in scope_spans.spans]
        return found


@pytest.fixture
def collector() -> Iterator[_Collector]:
    receiver = _Collector()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


def test_spans_are_exported_over_otlp_http_to_the_endpoint(
    tmp_path: Path, collector: _Collector
) -> None:
    settings = load_settings(
        data_dir=tmp_path,
        tracing={"enabled": True, "endpoint": collector.endpoint, "service_name": "seesay-test"},
    )
    platform = Platform.build(settings)
    try:
        with TestClient(create_app(settings, platform=platform)) as client:
            assert client.get("/healthz").status_code == 200
            assert client.get("/readyz").status_code == 200
    finally:
        platform.close()  # flushes the batch processor
    assert collector.posts
    assert {(path, kind) for path, kind, _ in collector.posts} == {
        ("/v1/traces", "application/x-protobuf")
    }
    assert ("seesay-test", "GET /healthz") in collector.spans()
    assert ("seesay-test", "GET /readyz") in collector.spans()


def test_with_a_zero_sample_ratio_nothing_leaves(tmp_path: Path, collector: _Collector) -> None:
    settings = load_settings(
        data_dir=tmp_path,
        tracing={"enabled": True, "endpoint": collector.endpoint, "sample_ratio": 0.0},
    )
    platform = Platform.build(settings)
    try:
        with TestClient(create_app(settings, platform=platform)) as client:
            assert client.get("/healthz").status_code == 200
    finally:
        platform.close()
    assert collector.spans() == []
