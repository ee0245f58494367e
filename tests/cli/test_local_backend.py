"""The local backend (what ``seesay`` runs without ``--server``, and the MCP server): the
services the HTTP surfaces use, for an implicit local account that is never charged; a bad
request is refused before any model loads."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from seesay.backends.base import DescribeOptions, SpeechOptions
from seesay.backends.local import LocalBackend
from seesay.errors import InvalidAudio, InvalidRequest, UnknownVoice


@pytest.fixture
def backend() -> Iterator[LocalBackend]:
    opened = LocalBackend.open()
    yield opened
    opened.close()


def test_speech_is_written_and_never_charged(backend: LocalBackend, tmp_path: Path) -> None:
    services = backend.services
    ledger, account = services.platform.ledger, services.principal.account_id
    before = ledger.balances(account).total
    done = backend.speak("Good morning.", SpeechOptions(voice="rex"), tmp_path / "s.wav")
    assert Path(done["audio"]).stat().st_size > 1000
    assert ledger.balances(account).total == before


def test_the_same_language_is_answered_unchanged(backend: LocalBackend) -> None:
    done = backend.translate("The dog is on the table.", to="en-US", source="en")
    assert done == {
        "text": "The dog is on the table.",
        "source": "en",
        "target": "en-US",
        "engine": "none",
    }


def test_bad_requests_fail_before_any_model_loads(backend: LocalBackend, tmp_path: Path) -> None:
    with pytest.raises(InvalidRequest, match="detail"):
        backend.warm(DescribeOptions(detail="everything"))
    with pytest.raises(UnknownVoice):
        backend.speak("Hello.", SpeechOptions(voice="nobody"), tmp_path / "x.mp3")
    noise = tmp_path / "noise.wav"
    noise.write_bytes(b"this is not audio" * 100)
    with pytest.raises(InvalidAudio):
        backend.transcribe(noise, language=None, translate=False, words=False)
    assert backend.services.platform.engines.loaded() == []
    assert not (tmp_path / "x.mp3").exists()


def test_closing_removes_the_private_folder() -> None:
    opened = LocalBackend.open()
    folder = opened.services.platform.settings.data_dir
    assert folder.is_dir()
    opened.close()
    assert not folder.exists()
