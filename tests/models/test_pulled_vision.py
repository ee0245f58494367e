"""A vision model pulled while the server runs describes at once: tiny Florence-2 and SmolVLM
models (random weights, real format) served by the Hub stand-in are pulled, appear in
``/v1/engines`` and ``/v1/models``, and after ``seesay models use`` answer ``/v1/describe``.
A broken model never makes a request fail: the configured engine answers and says so, and
``/readyz`` and ``models list`` report the model. A chosen model that is not installed is
downloaded at request time only with ``SEESAY_MODELS__AUTO_PULL=true``."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from typer.testing import CliRunner

from seesay.cli.main import app as cli
from seesay.models import ModelManager, open_manager
from seesay.models.hub import HubSource
from seesay.platform import Platform
from seesay.settings import Settings, load_settings
from support.accounts import make_key
from support.hub_standin import hub_standin
from support.images import as_png
from support.tiny_vlm import FLORENCE_ID, FLORENCE_REPO, SMOLVLM_ID, serve

PHOTO = (
    "data:image/png;base64,"
    + base64.b64encode(as_png(Image.new("RGB", (48, 40), (30, 120, 200)))).decode()
)


# The tiny models talk until their budget: a short one keeps the tests quick.
TOKENS = 24


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(data_dir=tmp_path / "data", models={"max_new_tokens": TOKENS})


def _manager(settings: Settings, url: str) -> ModelManager:
    manager = open_manager(settings.models, settings.data_dir)
    manager.hub = HubSource(url)
    return manager


def _describe(client: TestClient, key: str, **body: Any) -> Any:
    response = client.post(
        "/v1/describe", headers={"X-API-Key": key}, json={"image": PHOTO, **body}
    )
    assert response.status_code == 200, response.text
    return response.json()


def _vision_engines(client: TestClient, key: str) -> list[str]:
    response = client.get("/v1/engines", headers={"X-API-Key": key})
    assert response.status_code == 200, response.text
    return [e["name"] for e in response.json()["data"] if e["task"] == "vision"]


@pytest.mark.parametrize(("model_id", "kind"), [(FLORENCE_ID, "florence"), (SMOLVLM_ID, "smolvlm")])
def test_a_pulled_vision_model_describes_once_used(
    settings: Settings, platform: Platform, client: TestClient, model_id: str, kind: str
) -> None:
    key = make_key(platform).key
    before = _describe(client, key)
    assert before["engines"]["vision"] == "seesay-perception"
    assert model_id not in _vision_engines(client, key)

    with hub_standin() as (url, hub):
        serve(hub, kind)
        _manager(settings, url).pull(model_id)
    # Installed: listed without a restart, but not the default until chosen.
    assert _vision_engines(client, key) == ["seesay-perception", model_id]
    models = client.get("/v1/models", headers={"Authorization": f"Bearer {key}"}).json()["data"]
    assert model_id in {m["id"] for m in models}
    assert _describe(client, key)["engines"]["vision"] == "seesay-perception"

    used = CliRunner().invoke(
        cli, ["models", "use", model_id, "--data-dir", str(settings.data_dir)]
    )
    assert used.exit_code == 0, used.output
    assert _vision_engines(client, key)[0] == model_id
    answer = _describe(client, key, detail="brief", prompt="What is written on it?")
    assert answer["engines"]["vision"] == model_id
    assert "vision_fallback_from" not in answer["engines"]
    assert answer["description"].strip()  # whatever the random model said
    assert answer["description"] != before["description"]
    if kind == "florence":
        assert answer["findings"]["task"] == "<OCR>"  # a question about text: Florence's OCR
    else:
        assert answer["findings"]["prompt_used"] is True

    # Forgetting the choice gives the configured engine back, still without a restart.
    off = CliRunner().invoke(
        cli, ["models", "use", "--off", "vision", "--data-dir", str(settings.data_dir)]
    )
    assert off.exit_code == 0, off.output
    assert _describe(client, key)["engines"]["vision"] == "seesay-perception"


def test_a_broken_pulled_model_falls_back_and_is_reported(
    settings: Settings, platform: Platform, client: TestClient
) -> None:
    key = make_key(platform).key
    with hub_standin() as (url, hub):
        files = serve(hub, "smolvlm")
        config = json.loads(files["config.json"])
        config["text_config"]["hidden_size"] = 48  # the weights no longer fit the config
        hub.add("HuggingFaceTB/SmolVLM-256M-Instruct", "config.json", json.dumps(config).encode())
        manager = _manager(settings, url)
        manager.pull(SMOLVLM_ID)
    manager.use(SMOLVLM_ID)

    answer = _describe(client, key)
    assert answer["engines"]["vision"] == "seesay-perception"
    assert answer["engines"]["vision_fallback_from"] == SMOLVLM_ID
    assert SMOLVLM_ID in answer["findings"]["fallback"]["reason"]
    again = _describe(client, key)  # the failure is remembered: no second load
    assert again["engines"]["vision_fallback_from"] == SMOLVLM_ID
    # The OpenAI surface's default vision model falls back the same way.
    chat = client.post(
        "/v1/chat/completions",
        headers={"Authorization": f"Bearer {key}"},
        json={
            "model": "seesay-vision",
            "messages": [
                {
                    "role": "user",
                    "content": [
                        {"type": "text", "text": "What is this?"},
                        {"type": "image_url", "image_url": {"url": PHOTO}},
                    ],
                }
            ],
        },
    )
    assert chat.status_code == 200, chat.text
    assert chat.json()["system_fingerprint"] == "seesay-seesay-perception"

    ready = client.get("/readyz").json()
    assert ready["status"] == "degraded"
    assert ready["engines"][f"vision/{SMOLVLM_ID}"]["status"] == "failed"
    listed = CliRunner().invoke(
        cli, ["models", "list", "--json", "--installed", "--data-dir", str(settings.data_dir)]
    )
    row = next(r for r in json.loads(listed.stdout) if r["id"] == SMOLVLM_ID)
    assert row["chosen"] is True
    assert row["load_error"]
    assert SMOLVLM_ID in row["load_error"]


@pytest.mark.parametrize("auto_pull", [False, True])
def test_a_chosen_model_is_downloaded_at_request_time_only_with_auto_pull(
    tmp_path: Path, auto_pull: bool
) -> None:
    from seesay.api.app import create_app

    with hub_standin() as (url, hub):
        serve(hub, "florence")
        settings = load_settings(
            data_dir=tmp_path / "data",
            models={
                "vision": FLORENCE_ID,
                "auto_pull": auto_pull,
                "hf_endpoint": url,
                "max_new_tokens": TOKENS,
            },
        )
        platform = Platform.build(settings)
        try:
            with TestClient(create_app(settings, platform=platform)) as client:
                key = make_key(platform).key
                assert _vision_engines(client, key)[0] == FLORENCE_ID
                answer = _describe(client, key)
        finally:
            platform.close()
        downloads = [r for r in hub.requests if r[1].startswith(f"/{FLORENCE_REPO}/")]
    if auto_pull:
        assert downloads
        assert answer["engines"]["vision"] == FLORENCE_ID
        assert answer["description"].strip()
    else:
        assert downloads == []  # nothing fetched at request time
        assert answer["engines"]["vision"] == "seesay-perception"
        assert answer["engines"]["vision_fallback_from"] == FLORENCE_ID
        assert "seesay models pull" in answer["findings"]["fallback"]["reason"]


def test_a_chat_vlm_that_writes_the_asked_language_is_not_translated(tmp_path: Path) -> None:
    """A catalogue entry that lists Spanish: the pulled model is asked in Spanish and its
    answer is not translated (an English-only engine is translated: Apertium reaches Spanish)."""
    from seesay.api.app import create_app
    from seesay.models.catalogue import load_catalogue

    shipped = load_catalogue().get(SMOLVLM_ID)
    row = {
        "id": "vision:tiny-es",
        "task": "vision",
        "engine": "transformers",
        "source": {"kind": "hf", "repo": "tiny/vlm-es", "revision": "main", "patterns": ["*"]},
        "size_bytes": None,
        "licence": shipped.licence,
        "languages": ["en", "es"],
        "note": "a tiny SmolVLM that claims Spanish",
    }
    extra = tmp_path / "extra.json"
    extra.write_text(json.dumps({"models": [row]}), encoding="utf-8")
    with hub_standin() as (url, hub):
        serve(hub, "smolvlm", repo="tiny/vlm-es")
        settings = load_settings(
            data_dir=tmp_path / "data",
            models={
                "extra_catalogue": str(extra),
                "vision": "vision:tiny-es",
                "hf_endpoint": url,
                "max_new_tokens": TOKENS,
            },
        )
        _manager(settings, url).pull("vision:tiny-es")
    platform = Platform.build(settings)
    try:
        with TestClient(create_app(settings, platform=platform)) as client:
            key = make_key(platform).key
            answer = _describe(client, key, language="es")
    finally:
        platform.close()
    assert answer["engines"]["vision"] == "vision:tiny-es"
    assert answer["language"] == "es"
    assert answer["engines"]["translate"] is None


def test_use_refuses_a_model_that_is_not_installed_or_not_a_vision_model(tmp_path: Path) -> None:
    data = ["--data-dir", str(tmp_path / "data")]
    missing = CliRunner().invoke(cli, ["models", "use", FLORENCE_ID, *data])
    assert missing.exit_code == 1
    assert "not installed" in missing.output
    voice = CliRunner().invoke(cli, ["models", "use", "piper:en_US-lessac-medium", *data])
    assert voice.exit_code == 1
    assert "vision" in voice.output
    assert not (tmp_path / "data" / "models" / "choices.json").exists()
