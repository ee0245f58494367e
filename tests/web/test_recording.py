"""Recording from the microphone in the playground. Chromium's fake capture device plays a
sentence the server synthesized, as if someone spoke it into the microphone; the recording is
transcribed back through the page."""

from __future__ import annotations

import io
import wave
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest

from support.speech import assert_heard
from web.conftest import CHROMIUM, LAUNCH_ARGS, new_page, sign_in

pytestmark = pytest.mark.slow

SENTENCE = "The quick brown fox jumps over the lazy dog."


@pytest.fixture(scope="module")
def microphone_wav(live: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sentence as 16-bit WAV with half a second of silence before it, so the recording
    starts before the speech does."""
    r = httpx.post(
        f"{live.base}/v1/speech",
        json={"text": SENTENCE, "voice": "rex", "format": "wav"},
        headers={"Authorization": f"Bearer {live.key.key}"},
        timeout=120,
    )
    assert r.status_code == 200, r.text
    spoken = httpx.get(r.json()["audio_url"]).content
    with wave.open(io.BytesIO(spoken)) as w:
        rate, pcm = w.getframerate(), w.readframes(w.getnframes())
    silence = np.zeros(rate // 2, np.int16).tobytes()
    path = tmp_path_factory.mktemp("mic") / "microphone.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(silence + pcm + silence)
    return path


@pytest.fixture(scope="module")
def mic_browser(microphone_wav: Path) -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (scripts/ensure-system-packages.sh)")
    sync_api = pytest.importorskip("playwright.sync_api")
    args = [
        *LAUNCH_ARGS,
        "--use-fake-ui-for-media-stream",  # grant the microphone without a prompt
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-audio-capture={microphone_wav}%noloop",
    ]
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=args)
        yield launched
        launched.close()


def test_record_from_the_microphone_and_transcribe(
    live: Any, mic_browser: Any, problems: Any, microphone_wav: Path
) -> None:
    with wave.open(str(microphone_wav)) as w:
        seconds = w.getnframes() / w.getframerate()
    page = new_page(mic_browser, problems, permissions=["microphone"])
    try:
        sign_in(page, live.base, live.key.key, "transcribe")
        record = page.locator("#transcribe-record")
        record.click()
        page.wait_for_selector("#transcribe-record[aria-pressed=true]", timeout=10_000)
        assert record.inner_text() == "Stop recording"
        page.wait_for_timeout(int(seconds * 1000) + 500)
        record.click()
        page.wait_for_selector("#transcribe-record[aria-pressed=false]", timeout=10_000)
        status = page.locator("#transcribe-status")
        page.wait_for_function(
            "() => document.getElementById('transcribe-status').textContent.includes('recording')"
        )
        page.locator("#transcribe-player").wait_for(state="visible")
        page.get_by_role("button", name="Transcribe", exact=True).click()
        text = page.locator("#transcribe-output .description")
        text.wait_for(timeout=120_000)
        assert_heard(SENTENCE, text.inner_text(), max_wer=0.34)
        assert "recording" in status.inner_text()
        problems.expect_none()
    finally:
        page.context.close()
