"""A WAV naming a codec no decoder knows (issue 12, item 13) is each audio surface's documented
400, not a 500, and costs nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from seesay.api import create_app
from seesay.platform import Platform
from seesay.settings import load_settings
from support.accounts import make_key
from support.hostile_audio import wav_with_unknown_codec

# (route, file field, other form fields)
UPLOADS: list[tuple[str, str, dict[str, Any]]] = [
    ("/v1/audio/transcriptions", "file", {"model": "whisper-1"}),
    ("/v1/transcribe", "file", {}),
    ("/compat/webvoice/api/v1/stt/", "audio", {}),
    ("/compat/voiceclone/api/v1/voice-clone", "voice", {"title": "x", "consent": "true"}),
    ("/compat/vimmerse/v2/audio", "audio_file", {}),
]


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Platform, TestClient]]:
    tmp: Path = tmp_path_factory.mktemp("hostile-audio")
    settings = load_settings(data_dir=tmp)
    platform = Platform.build(settings)
    try:
        with TestClient(create_app(settings, platform=platform)) as client:
            yield platform, client
    finally:
        platform.close()


@pytest.mark.parametrize(("route", "field", "form"), UPLOADS)
def test_an_unknown_codec_is_bad_request(
    env: tuple[Platform, TestClient], route: str, field: str, form: dict[str, Any]
) -> None:
    platform, client = env
    key = make_key(platform, credits=2000)
    before = platform.ledger.balances(key.account_id).total
    answer = client.post(
        route,
        headers={"Authorization": f"Bearer {key.key}"},
        files={field: ("voice.wav", wav_with_unknown_codec(), "audio/wav")},
        data=form,
    )
    assert answer.status_code == 400, answer.text
    assert "codec" in answer.text
    assert platform.ledger.balances(key.account_id).total == before
