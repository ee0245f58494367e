"""The sync client is generated from the async one (``clients/python/scripts/
generate_sync_client.py``): the committed file is up to date, the check catches a stale one,
and both clients offer the same methods with the same parameters."""

from __future__ import annotations

import inspect
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import seesay_sdk
from seesay_sdk import _async_client, _client

SDK = Path(__file__).resolve().parents[2] / "clients" / "python"
SCRIPT = Path("scripts") / "generate_sync_client.py"


def run_generator(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(root / SCRIPT), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_committed_sync_client_is_up_to_date() -> None:
    checked = run_generator(SDK, "--check")
    assert checked.returncode == 0, checked.stderr


def test_check_fails_on_a_stale_sync_client_and_the_generator_fixes_it(tmp_path: Path) -> None:
    shutil.copytree(SDK / "scripts", tmp_path / "scripts")
    package = tmp_path / "src" / "seesay_sdk"
    package.mkdir(parents=True)
    shutil.copy(SDK / "src" / "seesay_sdk" / "_async_client.py", package)
    stale = (
        SDK.joinpath("src", "seesay_sdk", "_client.py")
        .read_text()
        .replace("def translate(", "def translate_renamed_by_hand(")
    )
    (package / "_client.py").write_text(stale)

    checked = run_generator(tmp_path, "--check")
    assert checked.returncode == 1
    assert "is stale" in checked.stderr
    assert "-    def translate_renamed_by_hand(" in checked.stderr

    assert run_generator(tmp_path).returncode == 0
    assert run_generator(tmp_path, "--check").returncode == 0
    assert (package / "_client.py").read_text() == (SDK / "src/seesay_sdk/_client.py").read_text()


def test_generated_file_says_it_is_generated() -> None:
    first = Path(_client.__file__).read_text().splitlines()[0]
    assert first.startswith("# GENERATED from _async_client.py")


@pytest.mark.parametrize(
    ("async_cls", "sync_cls"),
    [
        (seesay_sdk.AsyncClient, seesay_sdk.Client),
        (_async_client.AsyncJobs, _client.Jobs),
        (_async_client.AsyncKeys, _client.Keys),
        (_async_client.AsyncFiles, _client.Files),
    ],
)
def test_both_clients_have_the_same_methods(async_cls: type, sync_cls: type) -> None:
    def methods(cls: type) -> dict[str, list[str]]:
        return {
            name: list(inspect.signature(member).parameters)
            for name, member in inspect.getmembers(cls, inspect.isfunction)
            if not name.startswith("_")
        }

    async_methods, sync_methods = methods(async_cls), methods(sync_cls)
    assert async_methods == sync_methods
    for name in async_methods:
        assert inspect.iscoroutinefunction(getattr(async_cls, name))
        assert not inspect.iscoroutinefunction(getattr(sync_cls, name))
