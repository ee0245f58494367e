"""Argos Translate pairs pulled while the server runs translate at once.

The packages are real ``.argosmodel`` files built here from tiny random-weight Marian models
(``support.argos_package``), served by a loopback package index; ``seesay models pull`` fetches
them as a user would (the index URL a setting), and ``/v1/translate`` then goes through the
argos engine: es->en directly, es->fr through English (es->en, then en->fr). The words are
whatever random weights say, so the tests assert the route, not the wording. A package whose
bytes differ from the catalogue's pinned sha256 is refused and nothing is installed.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner, Result

from api.img2voice.helpers import photo_jpeg
from seesay.api import create_app
from seesay.cli.main import app
from seesay.platform import Platform
from seesay.settings import Settings, load_settings
from support.accounts import make_key
from support.argos_package import IndexState, argos_entry, argos_index, tiny_argos_package


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    work = tmp_path_factory.mktemp("argos")
    return {
        "es_en": tiny_argos_package(work / "es_en", "es", "en", seed=1),
        "en_fr": tiny_argos_package(work / "en_fr", "en", "fr", seed=2),
    }


@pytest.fixture
def index(packages: dict[str, bytes]) -> Iterator[tuple[str, IndexState]]:
    with argos_index() as (url, state):
        for key, data in packages.items():
            source, target = key.split("_")
            state.add(source, target, data)
        yield url, state


def cli(settings: Settings, index_url: str, catalogue: Path, *args: str) -> Result:
    env = {
        "SEESAY_DATA_DIR": str(settings.data_dir),
        "SEESAY_MODELS__ARGOS_INDEX_URL": index_url,
        "SEESAY_MODELS__EXTRA_CATALOGUE": str(catalogue),
        "COLUMNS": "200",
    }
    return CliRunner().invoke(app, ["models", *args], env=env)


def write_catalogue(path: Path, *entries: dict[str, object]) -> Path:
    path.write_text(json.dumps({"models": list(entries)}), encoding="utf-8")
    return path


def translate(client: TestClient, key: str, source: str, target: str) -> dict[str, Any]:
    response = client.post(
        "/v1/translate",
        headers={"X-API-Key": key},
        json={"text": "El gato se sienta. Un perro corre.", "source": source, "target": target},
    )
    return {"status": response.status_code, **response.json()}


def describe_in(client: TestClient, key: str, language: str) -> Any:
    image = "data:image/jpeg;base64," + base64.b64encode(photo_jpeg((320, 240))).decode()
    return client.post(
        "/v1/describe",
        headers={"X-API-Key": key},
        json={"image": image, "language": language},
    )


def argos_info(client: TestClient, key: str) -> dict[str, Any]:
    response = client.get("/v1/engines", headers={"X-API-Key": key})
    assert response.status_code == 200, response.text
    rows = [e for e in response.json()["data"] if e["name"] == "argos"]
    assert len(rows) == 1, response.json()
    found: dict[str, Any] = rows[0]
    return found


def test_pulled_pairs_translate_directly_and_through_english_without_a_restart(
    settings: Settings,
    platform: Platform,
    client: TestClient,
    index: tuple[str, IndexState],
    tmp_path: Path,
) -> None:
    key = make_key(platform, credits=20).key
    catalogue = write_catalogue(tmp_path / "extra.json", argos_entry("es", "en"))
    assert argos_info(client, key)["languages"] == []
    before = translate(client, key, "es", "fr")
    assert before["status"] == 400, before  # nothing serves es->fr yet
    unserved = describe_in(client, key, "fr")  # nor en->fr for a description
    assert unserved.status_code == 400, unserved.text
    assert unserved.json()["error"]["code"] == "invalid_language"

    pulled = cli(settings, index[0], catalogue, "pull", "argos:es-en", "argos:en-fr")
    assert pulled.exit_code == 0, pulled.output
    assert ("GET", "/index.json") in index[1].requests
    listed = cli(
        settings, index[0], catalogue, "list", "--json", "--installed", "--task", "translate"
    )
    assert {row["id"] for row in json.loads(listed.stdout)} == {"argos:es-en", "argos:en-fr"}

    info = argos_info(client, key)
    assert set(info["languages"]) == {"en", "es", "fr"}
    direct = translate(client, key, "es", "en")
    assert direct["status"] == 200, direct
    assert direct["engine"] == "argos"
    assert isinstance(direct["text"], str)
    assert direct["text"].strip()
    pivot = translate(client, key, "es", "fr")
    assert pivot["status"] == 200, pivot
    assert (pivot["engine"], pivot["target"]) == ("argos", "fr")
    assert isinstance(pivot["text"], str)
    assert pivot["text"].strip()
    # A photo described in French: the offline describer writes English, the pulled pair
    # translates it.
    described = describe_in(client, key, "fr")
    assert described.status_code == 200, described.text
    assert described.json()["engines"]["translate"] == "argos"
    # Control: without the en->fr half, es->fr is refused again (the pivot is what served it).
    assert cli(settings, index[0], catalogue, "remove", "argos:en-fr").exit_code == 0
    assert translate(client, key, "es", "fr")["status"] == 400
    assert translate(client, key, "es", "en")["engine"] == "argos"


def test_a_package_unlike_its_pinned_sha256_is_refused_and_nothing_installed(
    settings: Settings, packages: dict[str, bytes], index: tuple[str, IndexState], tmp_path: Path
) -> None:
    true = packages["es_en"]
    pin = {"size": len(true), "sha256": hashlib.sha256(true).hexdigest()}
    catalogue = write_catalogue(tmp_path / "extra.json", argos_entry("es", "en", **pin))
    tampered = bytearray(true)
    tampered[len(tampered) // 2] ^= 0xFF
    index[1].tamper["es_en"] = bytes(tampered)

    refused = cli(settings, index[0], catalogue, "pull", "argos:es-en")
    assert refused.exit_code != 0
    assert "sha256" in refused.output
    models = settings.models.folder(settings.data_dir)
    assert not (models / "pulled" / "argos--es-en").exists()
    assert not any((models / ".partial").glob("argos--es-en*/*"))

    # Control: the true bytes behind the same pin install.
    del index[1].tamper["es_en"]
    assert cli(settings, index[0], catalogue, "pull", "argos:es-en").exit_code == 0
    assert (models / "pulled" / "argos--es-en" / "package" / "model" / "model.bin").is_file()
    verified = cli(settings, index[0], catalogue, "verify", "argos:es-en")
    assert verified.exit_code == 0, verified.output

    # Moved to a machine without internet: export, then import into a fresh data folder.
    archive = tmp_path / "pair.tar"
    assert (
        cli(settings, index[0], catalogue, "export", "argos:es-en", "-o", str(archive)).exit_code
        == 0
    )
    fresh = load_settings(data_dir=tmp_path / "fresh")
    imported = cli(fresh, "http://127.0.0.1:9/index.json", catalogue, "import", str(archive))
    assert imported.exit_code == 0, imported.output
    assert cli(fresh, "http://127.0.0.1:9/index.json", catalogue, "verify").exit_code == 0
    fresh_models = fresh.models.folder(fresh.data_dir)
    assert (fresh_models / "pulled" / "argos--es-en" / "package" / "model" / "model.bin").is_file()


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    ("package", "said"),
    [
        (
            {"translate-es_en-1_0/metadata.json": b"{}", "translate-es_en-1_0/../../evil": b"x"},
            "lands outside its folder",
        ),
        (
            {"translate-es_en-1_0/metadata.json": b'{"from_code": "en", "to_code": "de"}'},
            "translates en->de, not es->en",
        ),
        (
            {"translate-es_en-1_0/metadata.json": b'{"from_code": "es", "to_code": "en"}'},
            "holds no CTranslate2 model",
        ),
    ],
    ids=["slip", "other-pair", "empty"],
)
def test_a_package_that_is_unsafe_or_not_the_pair_asked_is_refused(
    settings: Settings, tmp_path: Path, package: dict[str, bytes], said: str
) -> None:
    catalogue = write_catalogue(tmp_path / "extra.json", argos_entry("es", "en"))
    with argos_index() as (url, state):
        state.add("es", "en", _zip(package))
        refused = cli(settings, url, catalogue, "pull", "argos:es-en")
    assert refused.exit_code != 0
    assert said in " ".join(refused.output.split()), refused.output
    models = settings.models.folder(settings.data_dir)
    assert not (models / "pulled" / "argos--es-en").exists()
    assert not (tmp_path / "evil").exists()
    assert not list(models.rglob("evil"))


def test_an_interrupted_package_download_resumes(
    settings: Settings, packages: dict[str, bytes], index: tuple[str, IndexState], tmp_path: Path
) -> None:
    # huggingface_hub's client writes what it received in 10 MB chunks: a package with 12 MB
    # of padding (stored) is cut after 11 MB, so one chunk is on disk when the link drops.
    padded = io.BytesIO(packages["es_en"])
    with zipfile.ZipFile(padded, "a") as zf:
        zf.writestr("translate-es_en-1_0/padding.bin", bytes(12 << 20))
    true = padded.getvalue()
    index[1].add("es", "en", true)
    pin = {"size": len(true), "sha256": hashlib.sha256(true).hexdigest()}
    catalogue = write_catalogue(tmp_path / "extra.json", argos_entry("es", "en", **pin))
    index[1].cut["es_en"] = 11 << 20

    stopped = cli(settings, index[0], catalogue, "pull", "argos:es-en")
    assert stopped.exit_code != 0
    assert "pull again to resume" in " ".join(stopped.output.split()), stopped.output
    models = settings.models.folder(settings.data_dir)
    assert not (models / "pulled" / "argos--es-en").exists()

    index[1].heal()
    index[1].ranges.clear()
    resumed = cli(settings, index[0], catalogue, "pull", "argos:es-en")
    assert resumed.exit_code == 0, resumed.output
    assert index[1].ranges == [f"bytes={10 << 20}-"]  # only the rest was asked for
    assert (models / "pulled" / "argos--es-en" / "package" / "sentencepiece.model").is_file()


def test_the_owner_pulls_a_pair_through_the_admin_api_and_it_translates(
    packages: dict[str, bytes], index: tuple[str, IndexState], tmp_path: Path
) -> None:
    catalogue = write_catalogue(tmp_path / "extra.json", argos_entry("es", "en"))
    settings = load_settings(
        data_dir=tmp_path / "data",
        models={"argos_index_url": index[0], "extra_catalogue": str(catalogue)},
    )
    platform = Platform.build(settings)
    try:
        with TestClient(create_app(settings, platform=platform)) as client:
            owner = platform.accounts.create_account("owner", plan="paid", is_owner=True)
            headers = {"X-API-Key": platform.accounts.create_key(owner.id, name="owner").key}
            accepted = client.post("/v1/admin/models/argos:es-en/pull", headers=headers)
            assert accepted.status_code == 202, accepted.text
            deadline = time.monotonic() + 60
            while True:
                job = client.get(f"/v1/jobs/{accepted.json()['id']}", headers=headers).json()
                if job["status"] in ("succeeded", "failed") or time.monotonic() > deadline:
                    break
                time.sleep(0.2)
            assert job["status"] == "succeeded", job
            assert job["result"] == {"installed": ["argos:es-en"]}
            answer = translate(client, make_key(platform, credits=5).key, "es", "en")
            assert answer["status"] == 200, answer
            assert answer["engine"] == "argos"
    finally:
        platform.close()
