"""A plain pip install of the built wheel works as it is, with no repair step afterwards.

The wheel is built from this checkout and installed into fresh virtual environments: one with
the ``offline`` extra (it must describe an image and speak a sentence), one with the base
dependencies only (the API must import). The dependencies are resolved by ``pip wheel``
against the real index, exactly as ``pip install`` would resolve them, into a wheelhouse that
persists between runs (pip's own cache is not kept on every machine), and installed from it
with ``--no-index``: a rerun downloads only what changed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import venv
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from support.speech import assert_heard

# Resolving against the index and installing 2 GB of wheels takes minutes on two cores.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(1500)]

ROOT = Path(__file__).resolve().parents[2]
WHEELHOUSE = Path(
    os.environ.get("SEESAY_TEST_WHEELHOUSE")
    or Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "seesay-test-wheelhouse"
)
SENTENCE = "The quick brown fox jumps over the lazy dog."


def run(*cmd: str | Path, cwd: Path | None = None, timeout: float = 900) -> str:
    """Run without this checkout on the path (the test process sets PYTHONPATH to src)."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["SEESAY_DATA_DIR"] = str((cwd or Path.cwd()) / "seesay-data")
    started = time.monotonic()
    proc = subprocess.run(
        [str(c) for c in cmd],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    took = time.monotonic() - started
    print(f"{took:6.1f} s  {' '.join(str(c) for c in cmd[:4])}")
    assert proc.returncode == 0, f"{cmd} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


def pip(python: Path, *args: str | Path) -> str:
    """This process's pip acting on another environment (saves a pip install per venv)."""
    return run(sys.executable, "-m", "pip", "--python", python, *args)


def fresh_venv(path: Path, wheel: Path, extras: str = "") -> Path:
    venv.create(path, with_pip=False)
    python = path / "bin" / "python"
    # --no-compile: byte-compiling 2 GB of packages is most of an install's time, and has
    # nothing to do with which packages pip chooses.
    pip(python, "install", "-q", "--no-compile", "--no-index", "--find-links", WHEELHOUSE,
        f"{wheel}{extras}")  # fmt: skip
    return python


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    # The server and its SDK (clients/python), as an index would serve them side by side.
    for project in (ROOT, ROOT / "clients" / "python"):
        run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", out, project)
    (built,) = out.glob("seesay-*.whl")
    WHEELHOUSE.mkdir(parents=True, exist_ok=True)
    # Never let a wheel of this project from an earlier run stand in for the ones just built.
    for stale in [*WHEELHOUSE.glob("seesay-*.whl"), *WHEELHOUSE.glob("seesay_sdk-*.whl")]:
        stale.unlink()
    # Resolve the offline extra (a superset of the base dependencies) as pip install would;
    # pip wheel also builds the few sdists, so the installs need no build backend.
    run(sys.executable, "-m", "pip", "wheel", "-q", "-w", WHEELHOUSE, "--find-links", out,
        f"{built}[offline]")  # fmt: skip
    for stale in WHEELHOUSE.glob("seesay-*.whl"):
        stale.unlink()
    return built


def test_the_api_imports_with_the_base_dependencies_only(
    wheel: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = tmp_path_factory.mktemp("base-venv")
    python = fresh_venv(path, wheel)
    # The extras really are absent, so the import below proves what it claims.
    extras = ("num2words", "onnxruntime", "cv2")
    probe = f"import importlib.util as u; print([m for m in {extras!r} if u.find_spec(m)])"
    assert run(python, "-c", probe).strip() == "[]"
    run(python, "-c", "import seesay.api; seesay.api.create_app")
    shutil.rmtree(path)


@pytest.fixture(scope="module")
def offline_python(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("offline-venv")
    yield fresh_venv(path, wheel, "[offline]")
    shutil.rmtree(path)  # 2 GB; pytest would keep its last three runs' temp folders


def test_one_cv2_with_the_face_cascade(offline_python: Path) -> None:
    pip(offline_python, "check")
    report = run(offline_python, "-c", """
import json, importlib.metadata as md
import cv2
owners = sorted({d.metadata["Name"] for d in md.distributions()
                 if any(str(f) == "cv2/__init__.py" for f in d.files or ())})
print(json.dumps({"owners": owners, "version": cv2.__version__,
                  "cascade": hasattr(cv2, "CascadeClassifier")}))
""")  # fmt: skip
    found = json.loads(report)
    assert found["owners"] == ["opencv-python-headless"], found
    assert found["version"].startswith("4."), found
    assert found["cascade"], found


def test_describes_a_photo_and_a_sign(offline_python: Path, tmp_path: Path) -> None:
    skdata = pytest.importorskip("skimage.data")
    Image.fromarray(skdata.astronaut()).save(tmp_path / "astronaut.png")
    sign = Image.new("RGB", (1200, 800), (20, 100, 50))
    draw = ImageDraw.Draw(sign)
    font = ImageFont.load_default(size=96)
    draw.text((110, 250), "EXIT 42", fill="white", font=font)
    draw.text((110, 420), "Main Street", fill="white", font=font)
    sign.save(tmp_path / "sign.png")
    seesay = offline_python.parent / "seesay"
    out = json.loads(run(seesay, "describe", "astronaut.png", "sign.png", "--json", cwd=tmp_path))
    assert out["failed"] == 0, out
    photo, text = (r["description"] for r in out["results"])
    assert "one person" in photo, photo
    assert 'It reads "EXIT 42", "Main Street"' in text, text


def test_speaks_a_sentence_that_is_heard_back(offline_python: Path, tmp_path: Path) -> None:
    seesay = offline_python.parent / "seesay"
    run(seesay, "speak", SENTENCE, "-o", "fox.mp3", cwd=tmp_path)
    audio = (tmp_path / "fox.mp3").read_bytes()
    assert audio[:3] == b"ID3" or audio[0] == 0xFF, audio[:8]
    heard = json.loads(run(seesay, "transcribe", "fox.mp3", "--json", cwd=tmp_path))
    assert heard["duration_seconds"] > 1.0
    assert_heard(SENTENCE, heard["text"])
