"""The client commands run as a user runs them: ``seesay ...`` subprocesses, locally (the
engines in the CLI's own process, no server) and against a live server (``--server --key``)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sdk.media import corrupt_jpeg, photo_jpeg
from seesay.api import create_app
from seesay.media.audio_decode import decode_audio
from seesay.platform import Platform
from seesay.settings import load_settings
from support.accounts import make_key
from support.live import run_cli, serve_app
from support.speech import assert_heard

# Rich draws live progress only on a terminal; this makes it draw into the captured stderr.
TTY = {"TTY_COMPATIBLE": "1", "COLUMNS": "120"}
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def plain(text: str) -> str:
    return ANSI.sub("", text)


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    home = tmp_path_factory.mktemp("home")
    return {"HOME": str(home), "SEESAY_DATA_DIR": str(home / "unused-data")}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """20 photos and one corrupt image."""
    root = tmp_path_factory.mktemp("photos")
    for i in range(20):
        (root / f"photo{i:02d}.jpg").write_bytes(photo_jpeg((320, 240)))
    (root / "broken.jpg").write_bytes(corrupt_jpeg())
    return root


@pytest.mark.slow
def test_a_folder_is_a_batch_with_progress_and_listed_failures(
    folder: Path, env: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    done = run_cli(
        "describe",
        str(folder),
        "--speak",
        "--detail",
        "brief",
        "-o",
        str(out),
        env={**env, **TTY},
        timeout=300,
    )
    stderr = plain(done.stderr)
    assert done.returncode == 1, stderr
    # The first model load and the batch both show progress.
    assert "Loaded the vision engine" in stderr
    assert re.search(r"Describing .*\b21/21\b", stderr), stderr[-2000:]
    assert re.search(r"Describing .*\b5/21\b", stderr), "the bar moves as images are done"
    # 20 audio files and 20 descriptions, named after their images.
    audio = sorted(out.glob("*.mp3"))
    assert [p.stem for p in audio] == [f"photo{i:02d}" for i in range(20)]
    for path in audio[:3]:
        assert decode_audio(path.read_bytes()).duration > 0.5
    assert len(list(out.glob("*.txt"))) == 20
    assert "cat" in (out / "photo00.txt").read_text().lower()
    # The corrupt image is named with its reason at the end.
    assert "1 failed" in stderr
    assert "broken.jpg" in stderr
    assert "corrupt" in stderr or "invalid_image" in stderr
    assert "20 of 21 images described" in stderr


@pytest.mark.slow
def test_json_results_and_outputs_beside_the_inputs(tmp_path: Path, env: dict[str, str]) -> None:
    for name in ("a.jpg", "b.png"):
        (tmp_path / name).write_bytes(photo_jpeg((200, 150)))
    done = run_cli("describe", str(tmp_path / "*.??g"), "--json", "--detail", "brief", env=env)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["succeeded"] == 2
    assert report["failed"] == 0
    assert [Path(r["input"]).name for r in report["results"]] == ["a.jpg", "b.png"]
    assert all(r["description"] for r in report["results"])
    assert (tmp_path / "a.txt").read_text().strip() == report["results"][0]["description"]

    missing = run_cli("describe", str(tmp_path / "nothing-here.jpg"), env=env)
    assert missing.returncode == 2
    assert "no such file" in plain(missing.stderr)


def assert_word_timestamps(transcript: dict[str, Any]) -> None:
    """``--json`` carries word timestamps (the README's promise), in order within the audio."""
    words = [w for segment in transcript["segments"] for w in segment["words"]]
    assert words, transcript
    starts = [w["start"] for w in words]
    assert starts == sorted(starts)
    assert all(0 <= w["start"] <= w["end"] <= transcript["duration_seconds"] + 0.5 for w in words)


@pytest.mark.slow
def test_speak_transcribe_translate_voices_locally(tmp_path: Path, env: dict[str, str]) -> None:
    audio = tmp_path / "fox.wav"
    spoken = run_cli(
        "speak",
        "The quick brown fox jumps over the lazy dog.",
        "-o",
        str(audio),
        "--voice",
        "rex",
        "--format",
        "wav",
        "--json",
        env=env,
    )
    assert spoken.returncode == 0, spoken.stderr
    result = json.loads(spoken.stdout)
    assert result["audio"] == str(audio)
    assert abs(decode_audio(audio.read_bytes()).duration - result["duration_seconds"]) < 0.2

    heard = run_cli("transcribe", str(audio), "--language", "en", "--json", env=env)
    assert heard.returncode == 0, heard.stderr
    transcript = json.loads(heard.stdout)
    assert_heard("The quick brown fox jumps over the lazy dog.", transcript["text"])
    assert_word_timestamps(transcript)

    translated = run_cli("translate", "The dog is on the table.", "--to", "es", env=env)
    assert translated.returncode == 0, translated.stderr
    assert translated.stdout.strip()
    assert translated.stdout.strip() != "The dog is on the table."

    voices = run_cli("voices", "--language", "en", "--json", env=env)
    assert voices.returncode == 0, voices.stderr
    assert json.loads(voices.stdout)[0]["language"].startswith("en")

    bad = run_cli("speak", "Hello.", "--voice", "nobody", "-o", str(tmp_path / "x.mp3"), env=env)
    assert bad.returncode == 1
    assert "nobody" in plain(bad.stderr) or "voice" in plain(bad.stderr)


# -- against a live server --------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    settings = load_settings(data_dir=tmp_path_factory.mktemp("server") / "data")
    platform = Platform.build(settings)
    key = make_key(platform, plan="paid", credits=100).key
    with serve_app(create_app(settings, platform=platform)) as base:
        yield base, key


@pytest.mark.slow
def test_the_commands_against_a_server(
    server: tuple[str, str], tmp_path: Path, env: dict[str, str]
) -> None:
    base, key = server
    remote = ("--server", base, "--key", key)
    photo = tmp_path / "cat.jpg"
    photo.write_bytes(photo_jpeg((320, 240)))

    described = run_cli("describe", str(photo), "--speak", "--json", *remote, env=env)
    assert described.returncode == 0, described.stderr
    result = json.loads(described.stdout)["results"][0]
    assert result["audio_url"].startswith(base + "/files/")
    assert decode_audio((tmp_path / "cat.mp3").read_bytes()).duration > 0.5

    spoken = run_cli(
        "speak",
        "Hello from the server.",
        "-o",
        str(tmp_path / "s.wav"),
        "--format",
        "wav",
        *remote,
        env=env,
    )
    assert spoken.returncode == 0, spoken.stderr
    heard = run_cli("transcribe", str(tmp_path / "s.wav"), "--json", *remote, env=env)
    assert heard.returncode == 0, heard.stderr
    assert "hello" in json.loads(heard.stdout)["text"].lower()
    assert_word_timestamps(json.loads(heard.stdout))
    translated = run_cli("translate", "Good morning.", "--to", "es", "--json", *remote, env=env)
    assert json.loads(translated.stdout)["target"] == "es"
    voices = run_cli("voices", "--json", *remote, env=env)
    assert len(json.loads(voices.stdout)) > 3

    denied = run_cli("voices", "--server", base, "--key", "seesay_live_wrong", env=env)
    assert denied.returncode == 1
    assert "key" in plain(denied.stderr).lower()
    no_key = run_cli("voices", "--server", base, env={**env, "SEESAY_API_KEY": ""})
    assert no_key.returncode == 2
