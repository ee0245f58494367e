"""The Vimmerse audio spec's Python examples against a live ``seesay serve``, with only the
base URL and the key changed (re-indented: the spec's text lost its indentation), plus the
routes the spec documents without an example, called the way its tables describe them."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from support.live import free_port, run_cli, spawn, wait_until_ready

SPEC_BASE = "https://api.vimmerse.net/v2/audio"

UPLOAD_EXAMPLE = """
import requests
with open("voiceover.mp3", "rb") as f:
    r = requests.post(
        "https://api.vimmerse.net/v2/audio",
        headers={"X-Api-Key": "YOUR_API_KEY"},
        files={"audio_file": ("voiceover.mp3", f, "audio/mpeg")},
        timeout=120,
    )
print(r.json()["results"])
"""

TTS_EXAMPLE = """
import requests
r = requests.post(
    "https://api.vimmerse.net/v2/audio/text-2-speech",
    headers={"X-Api-Key": "YOUR_API_KEY", "Content-Type": "application/json"},
    json={"prompt": "Hello from Vimmerse.", "voice": "AutoV", "option": "ElevenLabsTTS"},
    timeout=300,
)
print(r.json()["results"])
"""


@dataclass
class Live:
    base: str
    key: str
    workdir: Path

    def run(self, source: str) -> list[str]:
        code = source.replace(SPEC_BASE, self.base).replace("YOUR_API_KEY", self.key)
        done = subprocess.run(
            [sys.executable, "-c", code],
            cwd=self.workdir,
            capture_output=True,
            text=True,
            timeout=240,
            check=False,
            env={**os.environ, "NO_PROXY": "127.0.0.1"},
        )
        assert done.returncode == 0, done.stderr
        results = ast.literal_eval(done.stdout.strip())
        assert isinstance(results, list)
        return [str(url) for url in results]


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    tmp = tmp_path_factory.mktemp("vimmerse-live")
    env = {"SEESAY_DATA_DIR": str(tmp / "data")}
    made = run_cli("keys", "create", "--plan", "paid", "--credits", "500", env=env)
    assert made.returncode == 0, made.stderr
    key = made.stdout.strip().splitlines()[-1]
    port = free_port()
    with spawn("serve", "--port", str(port), env=env, log=tmp / "serve.log") as proc:
        root = f"http://127.0.0.1:{port}"
        wait_until_ready(root + "/healthz", timeout=60, proc=proc)
        work = tmp / "client"
        work.mkdir()
        yield Live(root + "/compat/vimmerse/v2/audio", key, work)


def test_text_to_speech_then_upload_examples(live: Live) -> None:
    [speech_url] = live.run(TTS_EXAMPLE)
    speech = httpx.get(speech_url).content
    assert speech[:3] == b"ID3" or speech[0] == 0xFF
    (live.workdir / "voiceover.mp3").write_bytes(speech)
    [upload_url] = live.run(UPLOAD_EXAMPLE)
    assert httpx.get(upload_url).content == speech


def test_routes_without_examples(live: Live) -> None:
    headers = {"X-Api-Key": live.key}
    estimate = httpx.post(
        live.base + "/estimate-credits",
        headers=headers,
        json={"app_name": "text-to-audio", "option": "ElevenLabsSE", "duration": 3},
    ).json()
    assert estimate["total_credits"] == 3
    sound = httpx.post(
        live.base + "/text-2-sound-effect",
        headers=headers,
        json={"prompt": "birds and wind", "duration": 3},
        timeout=120,
    )
    assert sound.status_code == 200, sound.text
    assert sound.json()["credits"] == estimate["total_credits"]
    music = httpx.post(
        live.base + "/text-2-music", headers=headers, json={"prompt": "upbeat"}, timeout=120
    )
    assert music.status_code == 200, music.text
    assert httpx.get(music.json()["results"][0]).content[:4] == b"RIFF"
