"""Engine latency histograms per engine, and the Grafana dashboard: every metric it queries is
one a real server exposes at /metrics."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from seesay.api import create_app
from seesay.platform import Platform
from seesay.settings import load_settings
from support.accounts import make_key

DASHBOARD = Path(__file__).parents[1] / "deploy" / "grafana" / "seesay.json"
TOKEN = "scrape-me-0123456789"


@pytest.fixture
def scraped(tmp_path: Path) -> Iterator[tuple[TestClient, Platform]]:
    settings = load_settings(data_dir=tmp_path, metrics_token=TOKEN)
    platform = Platform.build(settings)
    try:
        with TestClient(create_app(settings, platform=platform)) as client:
            yield client, platform
    finally:
        platform.close()


def _samples(client: TestClient) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    text = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).text
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def _value(samples: dict[Any, float], name: str, **labels: str) -> float:
    return sum(
        v for (n, ls), v in samples.items() if n == name and labels.items() <= dict(ls).items()
    )


def _speak(client: TestClient, key: str) -> None:
    r = client.post(
        "/v1/speech",
        json={"text": "Counting engines.", "format": "wav"},
        headers={"Authorization": f"Bearer {key}"},
    )
    assert r.status_code == 200, r.text


def test_engine_latency_is_observed_per_engine_and_loads_apart(
    scraped: tuple[TestClient, Platform],
) -> None:
    client, platform = scraped
    key = make_key(platform, credits=5).key
    _speak(client, key)
    first = _samples(client)
    tts = {dict(ls)["engine"] for (n, ls) in first if n == "seesay_engine_duration_seconds_count"}
    assert len(tts) == 1
    name = tts.pop()
    assert _value(first, "seesay_engine_duration_seconds_count", task="tts", engine=name) == 1
    assert _value(first, "seesay_engine_load_seconds_count", task="tts", engine=name) == 1
    _speak(client, key)
    second = _samples(client)
    assert _value(second, "seesay_engine_duration_seconds_count", task="tts", engine=name) == 2
    assert _value(second, "seesay_engine_load_seconds_count", task="tts", engine=name) == 1
    assert _value(second, "seesay_engine_duration_seconds_sum", task="tts", engine=name) > 0


def _queried_metrics(dashboard: dict[str, Any]) -> set[str]:
    names: set[str] = set()
    for panel in dashboard["panels"]:
        assert panel["targets"], f"panel {panel['title']!r} queries nothing"
        for target in panel["targets"]:
            names |= set(re.findall(r"\bseesay_[a-z_]+\b", target["expr"]))
    return names


def test_every_metric_the_dashboard_queries_exists(
    scraped: tuple[TestClient, Platform],
) -> None:
    client, platform = scraped
    _speak(client, make_key(platform, credits=5).key)  # requests, engine use, credits spent
    exposed = {name for name, _ in _samples(client)}
    dashboard = json.loads(DASHBOARD.read_text())
    queried = _queried_metrics(dashboard)
    assert {"seesay_engine_duration_seconds_bucket", "seesay_queue_depth"} <= queried
    assert queried - exposed == set()
    # The control: a name the server does not expose is caught.
    dashboard["panels"][0]["targets"][0]["expr"] = "rate(seesay_http_requests_typo_total[5m])"
    assert _queried_metrics(dashboard) - exposed == {"seesay_http_requests_typo_total"}
