"""Every example on the documentation's pages runs, in page order, against a live
``seesay serve`` on loopback, as a reader would run it: shell examples with curl, Python ones
with the SDKs (seesay_sdk, openai) or httpx. Blocks of one page share a scratch folder holding
a ``photo.jpg``, so a later example may use a file an earlier one wrote.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.img2voice.helpers import photo_jpeg
from support import doc_examples as ex
from support.live import free_port, run_cli, spawn, wait_until_ready

pytestmark = pytest.mark.slow

PAGES = ex.all_examples()
# Every surface and client page shows at least one example that runs.
MUST_HAVE_EXAMPLES = {
    "README.md",
    "docs/getting-started.md",
    "docs/api/native.md",
    "docs/api/openai.md",
    "docs/api/img2voice.md",
    "docs/api/imagedescriber.md",
    "docs/api/webvoice.md",
    "docs/api/voiceclone.md",
    "docs/api/vimmerse.md",
    "docs/clients.md",
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    """A real ``seesay serve`` on a free loopback port, a paid key with credits, and the
    environment the examples run in."""
    root = tmp_path_factory.mktemp("docs-examples")
    # The webhook example's receiver listens on loopback, which the fetcher's guard refuses
    # unless allowed (as the page says).
    env = {"SEESAY_DATA_DIR": str(root / "data"), "SEESAY_FETCH__ALLOWED_HOSTS": "127.0.0.1"}
    created = run_cli("keys", "create", "--plan", "paid", "--credits", "20000", env=env)
    assert created.returncode == 0, created.stderr
    key = created.stdout.strip().splitlines()[-1]
    real_curl = shutil.which("curl")
    assert real_curl, "curl is missing: scripts/ensure-system-packages.sh --test installs it"
    shims = ex.curl_shim(root / "bin", real_curl)
    port = free_port()
    with spawn("serve", "--port", str(port), env=env, log=root / "serve.log") as proc:
        origin = f"http://127.0.0.1:{port}"
        wait_until_ready(origin + "/healthz", timeout=90, proc=proc)
        # The venv's ``seesay`` for the command-line examples, after the curl shim.
        path = os.pathsep.join([str(shims), str(Path(sys.executable).parent), os.environ["PATH"]])
        yield origin, {**env, "SEESAY_API_KEY": key, "PATH": path}


def test_the_pages_that_must_show_examples_do() -> None:
    missing = MUST_HAVE_EXAMPLES - set(PAGES)
    assert not missing, missing


@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_examples_run(page: str, server: tuple[str, dict[str, str]], tmp_path: Path) -> None:
    origin, env = server
    (tmp_path / "photo.jpg").write_bytes(photo_jpeg((800, 600)))
    for example in PAGES[page]:
        done = ex.run_example(example, origin=origin, cwd=tmp_path, env=env)
        assert done.returncode == 0, (
            f"{example.where} ({example.language}) exited {done.returncode}\n"
            f"--- stdout\n{done.stdout[-3000:]}\n--- stderr\n{done.stderr[-3000:]}"
        )


def test_control_an_example_that_gets_an_error_status_fails(
    server: tuple[str, dict[str, str]], tmp_path: Path
) -> None:
    """The curl on the examples' PATH turns a 4xx into a failure: without it this example
    would print the error body and exit 0, and a broken page would pass."""
    origin, env = server
    broken = ex.Example(
        "docs/control.md",
        1,
        "sh",
        'curl -s http://127.0.0.1:8000/v1/speech -H "Authorization: Bearer $SEESAY_API_KEY" '
        "-H 'Content-Type: application/json' -d '{\"voice\": \"rex\"}'\n",
    )
    done = ex.run_example(broken, origin=origin, cwd=tmp_path, env=env)
    assert done.returncode != 0
    assert '"error"' in done.stdout  # the body is still shown to the reader


def test_control_a_marked_block_in_another_language_is_refused(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("# Page\n\n<!-- example -->\n```bash\necho hi\n```\n")
    with pytest.raises(ValueError, match=r"page.md:4: an example must be sh or python"):
        ex.page_examples(page, tmp_path)


def test_only_marked_blocks_are_examples(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "<!-- example -->\n```sh\necho one\n```\n\n```sh\necho two\n```\n"
        "<!-- example -->\n\n```python\nprint(3)\n```\n"
    )
    found = ex.page_examples(page, tmp_path)
    assert [(e.line, e.language, e.code) for e in found] == [
        (2, "sh", "echo one\n"),
        (11, "python", "print(3)\n"),
    ]
