"""Health, readiness, metrics, request ids, error shapes and the OpenAPI document."""

from __future__ import annotations

from fastapi.testclient import TestClient

from seesay.services.container import Platform
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


def test_metrics_count_requests_by_route_template(platform: Platform, client: TestClient) -> None:
    key = make_key(platform)
    client.get("/v1/jobs/job_a", headers={"X-API-Key": key.key})
    client.get("/v1/jobs/job_b", headers={"X-API-Key": key.key})
    text = client.get("/metrics").text
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
