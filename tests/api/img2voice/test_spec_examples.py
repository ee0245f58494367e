"""The Python examples of the img2voice and Image Describer specs, run verbatim (only the base
URL, the key and the example's placeholder image changed) against a live ``seesay serve``.

The images come from a loopback server started here, allow-listed for the fetcher with
``SEESAY_FETCH__ALLOWED_HOSTS=127.0.0.1``; nothing leaves the machine.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from PIL import Image

from api.img2voice.helpers import decoded_seconds, image_server, photo_jpeg
from support.live import free_port, run_cli, spawn, wait_until_ready

pytestmark = pytest.mark.slow

# img2voice-api-v1.txt, "Python (URL input)", verbatim.
IMG2VOICE_EXAMPLE = """
import requests
import json
response = requests.post(
"https://api.img2voice.com/v1",
headers={
"IMG2VOICE-API-KEY": "sk_live_your_api_key_here",
"Content-Type": "application/json",
},
json={
"image_url": "https://example.com/photo.png",
"voice_id": "eve",
"language": "en",
"detail": "standard",
"output_format": "mp3",
},
timeout=15,
)
response.raise_for_status()
data = response.json()
print(data["description"]) # e.g. "A sunny beach with waves"
print(data["audio_url"]) # Stream or download this URL
print(data["duration_seconds"]) # e.g. 3.2
print(data["image_credits_used"]) # 1
print(data["image_credits_remaining"]) # credits left
"""

# image-describer-api-v2.txt, "Python Example", verbatim; the spec defines the coroutine
# without calling it, so the test appends the call and prints its result.
# ruff: noqa: E501 (the spec's own long lines)
DESCRIBER_EXAMPLE = """
import requests
import base64

async def call_describe_image_api():
    api_key = 'YOUR_API_KEY'  # Replace with your actual API key

    form_data = {
        'image': '...',  # Example base64 image. Replace with your actual image data. Supports url, file, and base64.
        'prompt': 'Briefly describe the content of the image',
        'lang': 'en' # Example description. Remove this line if garmentDesc is empty
    }

    api_endpoint = 'https://imagedescriber.online/api/openapi-v2/describe-image'
    try:
        headers = {
            'Authorization': f'Bearer {api_key}',
        }

        response = requests.post(api_endpoint, files=form_data, headers=headers) # Use files= for multipart/form-data
        response.raise_for_status()  # Raise an exception for bad status codes (4xx or 5xx)

        data = response.json()
        return {'content': data.get('data', {}).get('content'), 'error': None}

    except requests.exceptions.RequestException as e:
        print(f'Error describing image: {e}')
        return {'content': None, 'error': str(e)}
"""
RUN_COROUTINE = (
    "\nimport asyncio, json\nprint(json.dumps(asyncio.run(call_describe_image_api())))\n"
)


def png_photo() -> bytes:
    out = io.BytesIO()
    Image.open(io.BytesIO(photo_jpeg((800, 600)))).save(out, "PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    data_dir = tmp_path_factory.mktemp("serve")
    env = {"SEESAY_DATA_DIR": str(data_dir), "SEESAY_FETCH__ALLOWED_HOSTS": "127.0.0.1"}
    port = free_port()
    with spawn("serve", "--port", str(port), env=env, log=data_dir / "serve.log") as proc:
        base = f"http://127.0.0.1:{port}"
        wait_until_ready(base + "/healthz", timeout=90, proc=proc)
        yield base, env


def new_key(env: dict[str, str], *args: str) -> str:
    done = run_cli("keys", "create", *args, env=env)
    assert done.returncode == 0, done.stderr
    return str(done.stdout).strip().splitlines()[-1]


def run_python(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return str(done.stdout)


def test_img2voice_python_example(server: tuple[str, dict[str, str]]) -> None:
    base, env = server
    key = new_key(env, "--plan", "paid", "--credits", "10")
    with image_server({"/photo.png": (png_photo(), "image/png")}) as images:
        # Warm the engines first: the example's own timeout is 15 s, and the first request of
        # a fresh server loads (and joins) the models.
        warm = httpx.post(
            base + "/v1/img2voice",
            headers={"X-API-Key": new_key(env, "--plan", "paid", "--credits", "1")},
            json={"image_url": images.base + "/photo.png", "voice": "eve", "detail": "brief"},
            timeout=300,
        )
        assert warm.status_code == 200, warm.text
        code = (
            IMG2VOICE_EXAMPLE.replace("https://api.img2voice.com/v1", base + "/compat/img2voice/v1")
            .replace("sk_live_your_api_key_here", key)
            .replace("https://example.com/photo.png", images.base + "/photo.png")
        )
        lines = run_python(code).strip().splitlines()
    description, audio_url, duration, used, remaining = lines
    assert "cat" in description.lower()
    assert (used, remaining) == ("1", "9")
    audio = httpx.get(audio_url, timeout=30)
    assert audio.status_code == 200
    assert audio.headers["content-type"] == "audio/mpeg"
    assert abs(decoded_seconds(audio.content) - float(duration)) < 0.1


def test_image_describer_python_example(server: tuple[str, dict[str, str]]) -> None:
    base, env = server
    key = new_key(env, "--plan", "paid", "--credits", "3")
    endpoint = base + "/compat/imagedescriber/api/openapi-v2/describe-image"
    with image_server({"/000.jpg": (photo_jpeg(), "image/jpeg")}) as images:
        code = (
            DESCRIBER_EXAMPLE.replace("YOUR_API_KEY", key)
            .replace("https://imagedescriber.online/api/openapi-v2/describe-image", endpoint)
            .replace("'image': '...'", f"'image': '{images.base}/000.jpg'")
        )
        out = json.loads(run_python(code + RUN_COROUTINE).strip().splitlines()[-1])
    assert out["error"] is None
    assert "cat" in out["content"].lower()


def test_image_describer_example_with_base64_and_a_bad_key(
    server: tuple[str, dict[str, str]], tmp_path: Path
) -> None:
    """The same example with base64 in ``image``, then with a wrong key: it reports the
    error through ``raise_for_status`` as the spec's client expects."""
    import base64

    base, env = server
    key = new_key(env, "--plan", "paid", "--credits", "3")
    endpoint = base + "/compat/imagedescriber/api/openapi-v2/describe-image"
    b64 = base64.b64encode(photo_jpeg()).decode()
    code = DESCRIBER_EXAMPLE.replace(
        "https://imagedescriber.online/api/openapi-v2/describe-image", endpoint
    ).replace("'image': '...'", f"'image': '{b64}'")
    good = json.loads(
        run_python(code.replace("YOUR_API_KEY", key) + RUN_COROUTINE).splitlines()[-1]
    )
    assert "cat" in good["content"].lower()
    bad = json.loads(run_python(code + RUN_COROUTINE).splitlines()[-1])
    assert bad["content"] is None
    assert "401" in bad["error"]
