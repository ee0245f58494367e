"""One builder per native endpoint: arguments in, a :class:`Call` out.

Both clients send what these build, so the wire format of every endpoint is written once.
"""

from __future__ import annotations

import base64
import mimetypes
import os
from pathlib import Path
from typing import IO, Any, TypeAlias
from urllib.parse import quote

from seesay_sdk._base import Call

__all__ = [
    "AudioInput",
    "ImageInput",
    "account",
    "cancel_job",
    "create_key",
    "describe",
    "download",
    "engines",
    "get_job",
    "img2voice",
    "list_keys",
    "revoke_key",
    "speech",
    "transcribe",
    "translate",
    "voices",
]

#: An image: an ``http(s)://`` URL, a ``data:image/...;base64,`` URI, a file path, raw bytes,
#: or an open binary file.
ImageInput: TypeAlias = "str | os.PathLike[str] | bytes | IO[bytes]"
#: Audio: a file path, raw bytes or an open binary file.
AudioInput: TypeAlias = "str | os.PathLike[str] | bytes | IO[bytes]"


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


def _form(values: dict[str, Any]) -> dict[str, str]:
    """Multipart form fields: booleans as ``true``/``false``, everything as text."""
    out: dict[str, str] = {}
    for key, value in _clean(values).items():
        out[key] = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return out


def _file(
    source: str | os.PathLike[str] | bytes | IO[bytes], default_name: str
) -> tuple[str, bytes, str]:
    """``(filename, bytes, content type)`` of a path, bytes or a binary file object."""
    if isinstance(source, bytes):
        return default_name, source, "application/octet-stream"
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        data, name = path.read_bytes(), path.name
    else:
        raw = source.read()
        if not isinstance(raw, bytes):
            raise TypeError("open the file in binary mode ('rb')")
        data, name = raw, Path(str(getattr(source, "name", "") or default_name)).name
    mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return name, data, mime


def _is_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


def _image_call(
    path: str,
    image: ImageInput | None,
    image_base64: str | None,
    mime_type: str | None,
    options: dict[str, Any],
    idempotency_key: str | None,
    headers: dict[str, str] | None = None,
) -> Call:
    """JSON for a URL or base64 image, multipart for a file or bytes (field ``image``)."""
    if (image is None) == (image_base64 is None):
        raise ValueError("pass exactly one of image or image_base64")
    extra = headers or {}
    if image_base64 is not None or (isinstance(image, str) and image.startswith("data:")):
        text = image_base64 if image_base64 is not None else str(image)
        body = _clean({"image_base64": text, "image_mime_type": mime_type, **options})
        return Call("POST", path, json=body, idempotency_key=idempotency_key, headers=extra)
    if isinstance(image, str) and _is_url(image):
        body = _clean({"image_url": image, **options})
        return Call("POST", path, json=body, idempotency_key=idempotency_key, headers=extra)
    assert image is not None
    name, content, guessed = _file(image, "image")
    files = {"image": (name, content, mime_type or guessed)}
    return Call(
        "POST",
        path,
        data=_form(options),
        files=files,
        idempotency_key=idempotency_key,
        headers=extra,
    )


def encode_image_base64(image: str | os.PathLike[str] | bytes) -> str:
    """Base64 text of an image file or bytes (for callers that prefer JSON bodies)."""
    data = image if isinstance(image, bytes) else Path(image).read_bytes()
    return base64.b64encode(data).decode("ascii")


# -- account and keys ---------------------------------------------------------------------------


def account(days: int | None = None) -> Call:
    return Call("GET", "/v1/account", params=_clean({"days": days}))


def create_key(name: str = "", mode: str | None = None) -> Call:
    return Call("POST", "/v1/keys", json=_clean({"name": name, "mode": mode}))


def list_keys() -> Call:
    return Call("GET", "/v1/keys")


def revoke_key(key_id: str) -> Call:
    return Call("DELETE", f"/v1/keys/{quote(key_id, safe='')}")


# -- jobs and files -----------------------------------------------------------------------------


def get_job(job_id: str) -> Call:
    return Call("GET", f"/v1/jobs/{quote(job_id, safe='')}")


def cancel_job(job_id: str) -> Call:
    # Cancelling twice is harmless, so no idempotency key is needed to retry it.
    return Call("POST", f"/v1/jobs/{quote(job_id, safe='')}/cancel", idempotency_key=None)


def download(url: str) -> Call:
    """A signed file URL needs no key, and the key must not travel to another origin."""
    return Call("GET", url, authenticated=False, headers={"Accept": "*/*"})


# -- catalogue ----------------------------------------------------------------------------------


def voices(language: str | None, gender: str | None, engine: str | None) -> Call:
    return Call(
        "GET",
        "/v1/voices",
        params=_clean({"language": language, "gender": gender, "engine": engine}),
    )


def engines() -> Call:
    return Call("GET", "/v1/engines")


# -- inference ----------------------------------------------------------------------------------


def speech(
    text: str,
    *,
    voice: str | None,
    language: str | None,
    speed: float | None,
    format: str | None,
    wait: bool,
    webhook_url: str | None,
    idempotency_key: str | None,
) -> Call:
    body = _clean(
        {
            "text": text,
            "voice": voice,
            "language": language,
            "speed": speed,
            "format": format,
            "webhook_url": webhook_url,
        }
    )
    if not wait:
        body["async"] = True
    return Call("POST", "/v1/speech", json=body, idempotency_key=idempotency_key)


def describe(
    image: ImageInput | None,
    *,
    image_base64: str | None,
    mime_type: str | None,
    detail: str | None,
    language: str | None,
    prompt: str | None,
    idempotency_key: str | None,
) -> Call:
    options = {"detail": detail, "language": language, "prompt": prompt}
    return _image_call("/v1/describe", image, image_base64, mime_type, options, idempotency_key)


def img2voice(
    image: ImageInput | None,
    *,
    image_base64: str | None,
    mime_type: str | None,
    voice: str | None,
    language: str | None,
    detail: str | None,
    prompt: str | None,
    format: str | None,
    speed: float | None,
    stream: bool,
    idempotency_key: str | None,
) -> Call:
    options: dict[str, Any] = {
        "voice": voice,
        "language": language,
        "detail": detail,
        "prompt": prompt,
        "format": format,
        "speed": speed,
    }
    headers: dict[str, str] = {}
    if stream:
        options["stream"] = True
        headers["Accept"] = "audio/*"
    return _image_call(
        "/v1/img2voice", image, image_base64, mime_type, options, idempotency_key, headers
    )


def transcribe(
    audio: AudioInput,
    *,
    language: str | None,
    translate: bool | None,
    word_timestamps: bool | None,
    prompt: str | None,
    idempotency_key: str | None,
) -> Call:
    name, data, mime = _file(audio, "audio")
    fields = _form(
        {
            "language": language,
            "translate": translate,
            "word_timestamps": word_timestamps,
            "prompt": prompt,
        }
    )
    return Call(
        "POST",
        "/v1/transcribe",
        data=fields,
        files={"file": (name, data, mime)},
        idempotency_key=idempotency_key,
    )


def translate(text: str, *, to: str, source: str | None, idempotency_key: str | None) -> Call:
    body = _clean({"text": text, "target": to, "source": source})
    return Call("POST", "/v1/translate", json=body, idempotency_key=idempotency_key)
