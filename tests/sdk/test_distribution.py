"""``pip install ./clients/python`` into a fresh virtualenv gives a working client, and none of
the server: no SQLAlchemy, numpy, Huey or ``seesay`` comes with it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from seesay.platform import Platform
from support.accounts import make_key

SDK = Path(__file__).resolve().parents[2] / "clients" / "python"

# Run inside the fresh venv (``python -I``: no PYTHONPATH, no user site).
PROBE = """
import importlib.util, json, sys
import seesay_sdk

absent = {name: importlib.util.find_spec(name) is None
          for name in ("sqlalchemy", "numpy", "huey", "fastapi", "seesay")}
with seesay_sdk.Client(base_url=sys.argv[1], api_key=sys.argv[2]) as client:
    voices = client.voices(language="en")
print(json.dumps({"absent": absent, "voices": len(voices), "file": seesay_sdk.__file__}))
"""


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_the_sdk_installs_alone_and_talks_to_a_server(
    tmp_path: Path, live_url: str, sdk_platform: Platform
) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, env=env, timeout=120)
    python = venv / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", str(SDK)],
        check=True,
        env=env,
        timeout=480,
    )
    key = make_key(sdk_platform, plan="paid", credits=10).key

    probe = subprocess.run(
        [str(python), "-I", "-c", PROBE, live_url, key],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        timeout=60,
    )

    found = json.loads(probe.stdout)
    assert found["absent"] == dict.fromkeys(
        ("sqlalchemy", "numpy", "huey", "fastapi", "seesay"), True
    )
    assert found["voices"] > 0
    assert Path(found["file"]).is_relative_to(venv)
