"""Hostile text over HTTP on every surface that speaks, translates, chats or keeps text (issue 12,
item 13): a lone surrogate or a NUL is each surface's documented validation error, not a 500,
and costs nothing; a 400-digit number is spoken."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from seesay.api import create_app
from seesay.api.wire_text import WireText, wire_text_problem
from seesay.media.audio_decode import decode_audio
from seesay.platform import Platform
from seesay.settings import load_settings
from support.accounts import TestKey, make_key

WV = "/compat/webvoice/api/v1"
VIMMERSE = "/compat/vimmerse/v2/audio"
VOICECLONE = "/compat/voiceclone/api/v1"

# (route, body with the text under test at "{}", the status the surface documents)
SURFACES: list[tuple[str, dict[str, Any], int]] = [
    ("/v1/speech", {"text": "{}"}, 400),
    ("/v1/translate", {"text": "{}", "target": "es"}, 400),
    ("/v1/audio/speech", {"model": "tts-1", "input": "{}", "voice": "alloy"}, 400),
    (f"{WV}/tts/", {"text": "{}", "voice": "af_sarah"}, 400),
    (f"{WV}/translation/", {"text": "{}", "target_language": "es"}, 400),
    (f"{WV}/voice-memo/text/", {"text": "{}"}, 400),
    (f"{WV}/voice-memo/text/", {"text": "fine", "title": "{}"}, 400),
    (f"{VIMMERSE}/text-2-speech", {"prompt": "{}"}, 422),
    (f"{VOICECLONE}/tts", {"text": "{}", "voiceId": "eve"}, 400),
    ("/v1/chat/completions", {"model": "m", "messages": [{"role": "user", "content": "{}"}]}, 400),
    (
        f"{WV}/chat/completions/",
        {"model": "m", "messages": [{"role": "user", "content": "{}"}]},
        400,
    ),
]


def _filled(node: Any, text: str) -> Any:
    if node == "{}":
        return text
    if isinstance(node, dict):
        return {k: _filled(v, text) for k, v in node.items()}
    if isinstance(node, list):
        return [_filled(v, text) for v in node]
    return node


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Platform, TestClient]]:
    tmp: Path = tmp_path_factory.mktemp("wire-text")
    settings = load_settings(data_dir=tmp)
    platform = Platform.build(settings)
    try:
        with TestClient(create_app(settings, platform=platform)) as client:
            yield platform, client
    finally:
        platform.close()


def _post(client: TestClient, key: TestKey, route: str, body: dict[str, Any], text: str) -> Any:
    filled = _filled(body, text)
    # json.dumps writes a lone surrogate as the escape "\ud800", as a hostile client would.
    raw = json.dumps(filled).encode("ascii")
    headers = {"Authorization": f"Bearer {key.key}", "Content-Type": "application/json"}
    return client.post(route, headers=headers, content=raw)


@pytest.mark.parametrize(("route", "body", "status"), SURFACES)
@pytest.mark.parametrize(
    ("text", "said"),
    [("Hello \ud800 world", "surrogate"), ("\udfff", "surrogate"), ("Hello\x00world", "NUL")],
)
def test_unencodable_text_is_the_documented_validation_error(
    env: tuple[Platform, TestClient],
    route: str,
    body: dict[str, Any],
    status: int,
    text: str,
    said: str,
) -> None:
    platform, client = env
    key = make_key(platform, credits=100)
    before = platform.ledger.balances(key.account_id).total
    answer = _post(client, key, route, body, text)
    assert answer.status_code == status, answer.text
    if status == 400:  # the surfaces whose validation errors carry a readable message
        assert said in answer.text
    assert platform.ledger.balances(key.account_id).total == before


def test_a_400_digit_number_is_spoken(env: tuple[Platform, TestClient]) -> None:
    platform, client = env
    key = make_key(platform, credits=100)
    number = "I have " + "9" * 400 + " apples."
    answer = _post(client, key, "/v1/audio/speech", SURFACES[2][1], number)
    assert answer.status_code == 200, answer.text
    # Four hundred "nine"s take well over a minute to say.
    assert decode_audio(answer.content).duration > 60
    answer = _post(client, key, f"{WV}/tts/", SURFACES[3][1], "Card 4111111111111111111.")
    assert answer.status_code == 200, answer.text


def test_wire_text_accepts_what_utf8_can_carry() -> None:
    from pydantic import TypeAdapter, ValidationError

    adapter = TypeAdapter(WireText)
    for fine in ("", "plain", "tab\tand\nnewline", "emoji 🎙️ and 中文", "\U0001f600"):
        assert adapter.validate_python(fine) == fine
        assert wire_text_problem(fine) is None
    for bad in ("\ud800", "a\udc00b", "\x00"):
        with pytest.raises(ValidationError):
            adapter.validate_python(bad)
    assert "position 1" in (wire_text_problem("a\udc00b") or "")
