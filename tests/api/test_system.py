"""Health, readiness, metrics, request ids, error shapes and the OpenAPI document."""

from __future__ import annotations

import base64
import io
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from PIL import Image, ImageDraw, ImageFont

from seesay.api import create_app
from seesay.platform import Platform
from seesay.settings import load_settings
from support.accounts import make_key


def test_health_and_readiness(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert {k for k, v in ready.json()["checks"].items() if v["ok"]} == {
        "database",
        "queue",
        "storage",
    }


def sign_base64() -> str:
    """A green road sign reading "EXIT 42", as base64 PNG."""
    image = Image.new("RGB", (1200, 800), (20, 100, 50))
    ImageDraw.Draw(image).text(
        (110, 250), "EXIT 42", fill="white", font=ImageFont.load_default(size=96)
    )
    out = io.BytesIO()
    image.save(out, "PNG")
    return base64.b64encode(out.getvalue()).decode()


def describe_sign(client: TestClient, key: str) -> httpx.Response:
    return client.post(
        "/v1/describe",
        headers={"X-API-Key": key},
        json={"image_base64": sign_base64(), "detail": "brief"},
    )


def test_readyz_lists_every_engine_and_its_parts_without_loading_them(
    client: TestClient,
) -> None:
    body = client.get("/readyz").json()
    assert body["status"] == "ok"
    assert body["engines_loaded"] == []
    assert {"vision/seesay-perception", "tts/piper", "stt/whisper"} <= set(body["engines"])
    vision = body["engines"]["vision/seesay-perception"]
    assert vision["status"] == "not_loaded"
    assert {name: part["status"] for name, part in vision["parts"].items()} == {
        "labels": "not_loaded",
        "text": "not_loaded",
        "people": "not_loaded",
        "appearance": "not_loaded",
        "codes": "not_loaded",
        "charts": "not_loaded",
    }
    assert body["engines"]["tts/piper"] == {"status": "not_loaded"}


@pytest.mark.slow
def test_a_part_that_cannot_load_is_named_by_readyz_and_describe_still_answers(
    platform: Platform, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "rapidocr", None)  # OCR is not installed
    key = make_key(platform, credits=2)
    r = describe_sign(client, key.key)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["findings"]["unavailable"] == ["text", "charts"]
    assert body["findings"]["text"] is None
    assert "I could not read text in this image" in body["description"]
    assert body["findings"]["labels"]  # the classifier still looked
    assert body["credits_used"] == 1
    ready = client.get("/readyz")
    assert ready.status_code == 200  # the rest still serves
    assert ready.json()["status"] == "degraded"
    vision = ready.json()["engines"]["vision/seesay-perception"]
    assert vision["status"] == "degraded"
    assert vision["parts"]["text"] == {
        "status": "failed",
        "model": "pp-ocrv6",
        "error": "ModuleNotFoundError",
    }
    assert vision["parts"]["labels"]["status"] == "loaded"


@pytest.mark.slow
def test_every_part_down_is_503_costs_nothing_and_readyz_says_failed(
    platform: Platform, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    for module in ("onnxruntime", "rapidocr"):  # the vision extra is not installed
        monkeypatch.setitem(sys.modules, module, None)
    key = make_key(platform, credits=2)
    r = describe_sign(client, key.key)
    assert r.status_code == 503, r.text
    assert "seesay[vision]" in r.json()["error"]["message"]
    assert platform.ledger.balances(key.account_id).total == 2000  # nothing charged
    vision = client.get("/readyz").json()["engines"]["vision/seesay-perception"]
    assert vision["status"] == "failed"
    models = ("labels", "text", "people")  # appearance, codes and charts need no onnxruntime
    assert {part["error"] for name, part in vision["parts"].items() if name in models} == {
        "ModuleNotFoundError"
    }


@pytest.mark.parametrize("damage", ["overwritten", "emptied"])
def test_readyz_turns_503_when_the_database_file_is_damaged(
    platform: Platform, client: TestClient, damage: str
) -> None:
    make_key(platform)
    assert client.get("/readyz").status_code == 200
    path = platform.db.sqlite_path
    assert path is not None
    with platform.db.engine.connect() as conn:  # every page into the main file
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    size = path.stat().st_size
    with path.open("r+b") as f:
        if damage == "emptied":
            f.truncate(0)
        else:  # every page after the first overwritten with a pattern
            f.seek(4096)
            f.write(bytes(range(256)) * ((size - 4096) // 256))
    deadline = time.monotonic() + 10  # the integrity check may wait out its 1% time share
    while (ready := client.get("/readyz")).status_code == 200 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert ready.status_code == 503
    assert ready.json()["status"] == "unavailable"
    database = ready.json()["checks"]["database"]
    assert database["ok"] is False
    assert database["error"] == "ServiceUnavailable"
    assert database["detail"].startswith("the database file")


def test_every_response_has_a_request_id_and_keeps_a_sane_incoming_one(
    client: TestClient,
) -> None:
    assert client.get("/healthz").headers["X-Request-Id"].startswith("req_")
    assert client.get("/nope").headers["X-Request-Id"].startswith("req_")
    echoed = client.get("/healthz", headers={"X-Request-Id": "trace-1234abcd"})
    assert echoed.headers["X-Request-Id"] == "trace-1234abcd"
    hostile = client.get("/healthz", headers={"X-Request-Id": "x\r\ninjected"})
    assert hostile.headers["X-Request-Id"].startswith("req_")


def test_native_errors_have_one_shape(platform: Platform, client: TestClient) -> None:
    key = make_key(platform)
    responses = [
        client.get("/v1/account"),  # 401
        client.get("/v1/jobs/job_missing", headers={"X-API-Key": key.key}),  # 404
        client.post("/v1/keys", content=b"{bad json", headers={"X-API-Key": key.key}),  # 400
        client.post("/v1/keys", json={"mode": "gold"}, headers={"X-API-Key": key.key}),  # 400
        client.get("/no/such/route"),  # 404
        client.put("/v1/keys", headers={"X-API-Key": key.key}),  # 405
    ]
    assert [r.status_code for r in responses] == [401, 404, 400, 400, 404, 405]
    for r in responses:
        error = r.json()["error"]
        assert set(error) >= {"code", "message", "param", "request_id"}
        assert error["request_id"] == r.headers["X-Request-Id"]
    assert responses[3].json()["error"]["param"] == "mode"


def test_oversized_body_is_413_before_it_is_read(platform: Platform, client: TestClient) -> None:
    key = make_key(platform)
    cap = platform.settings.limits.max_request_bytes
    r = client.post(
        "/v1/keys",
        content=b"x" * (cap + 1),
        headers={"X-API-Key": key.key, "Content-Type": "application/json"},
    )
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "payload_too_large"


def _owner_key(platform: Platform) -> str:
    owner = platform.accounts.create_account("operator", is_owner=True)
    return platform.accounts.create_key(owner.id).key


def test_metrics_count_requests_by_route_template(platform: Platform, client: TestClient) -> None:
    key = make_key(platform)
    client.get("/v1/jobs/job_a", headers={"X-API-Key": key.key})
    client.get("/v1/jobs/job_b", headers={"X-API-Key": key.key})
    owner = {"Authorization": f"Bearer {_owner_key(platform)}"}
    text = client.get("/metrics", headers=owner).text
    assert (
        'seesay_http_requests_total{method="GET",route="/v1/jobs/{job_id}",status="404"} 2.0'
        in text
    )
    assert "seesay_queue_depth" in text
    assert "seesay_http_request_duration_seconds_bucket" in text


def test_openapi_declares_error_models_on_every_route(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert "ErrorBody" in spec["components"]["schemas"]
    for path, item in spec["paths"].items():
        if path in ("/healthz", "/metrics"):
            continue
        for method, op in item.items():
            codes = {c for c in op["responses"] if c.startswith(("4", "5"))}
            assert codes, f"{method.upper()} {path} declares no error responses"


def test_metrics_are_for_the_operator_only(platform: Platform, client: TestClient) -> None:
    anonymous = client.get("/metrics")
    assert anonymous.status_code == 401
    assert "seesay_http_requests_total" not in anonymous.text
    customer = make_key(platform)
    refused = client.get("/metrics", headers={"Authorization": f"Bearer {customer.key}"})
    assert refused.status_code == 403
    assert "seesay_" not in refused.text
    owner = client.get("/metrics", headers={"X-API-Key": _owner_key(platform)})
    assert owner.status_code == 200
    assert "seesay_http_requests_total" in owner.text


def test_metrics_token_reads_metrics(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path, metrics_token="scrape-me-0123456789")
    platform = Platform.build(settings)
    try:
        with TestClient(create_app(settings, platform=platform)) as client:
            good = client.get("/metrics", headers={"Authorization": "Bearer scrape-me-0123456789"})
            bad = client.get("/metrics", headers={"Authorization": "Bearer scrape-me-0123456788"})
    finally:
        platform.close()
    assert good.status_code == 200
    assert "seesay_queue_depth" in good.text
    assert bad.status_code == 401


def test_api_reference_loads_no_script_and_has_a_strict_csp(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    csp = page.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp
    assert "script-src" not in csp  # falls back to default-src 'none': no script at all
    html = page.text.lower()
    assert "<script" not in html
    assert " src=" not in html  # nothing loaded from anywhere
    assert "<link" not in html
    assert "/v1/speech" in page.text  # the reference itself is there
    assert 'href="/openapi.json"' in page.text
    assert client.get("/redoc").status_code == 404
    assert client.get("/openapi.json").status_code == 200
