# GENERATED from _async_client.py by clients/python/scripts/generate_sync_client.py: do not edit.
# Edit the async client, then run `python clients/python/scripts/generate_sync_client.py`.
"""The synchronous client, :class:`Client`.

``_client.py`` (the synchronous client) is generated from ``_async_client.py`` by
``scripts/generate_sync_client.py``: edit the async client, then run the script.
"""

from __future__ import annotations

import os
import time
from types import TracebackType
from typing import Literal, overload

import httpx

from seesay_sdk import _endpoints as ep
from seesay_sdk._base import Call, ClientOptions, connection_error, parse, parse_list
from seesay_sdk._endpoints import AudioInput, ImageInput
from seesay_sdk._io import sleep, write_bytes
from seesay_sdk._streaming import AudioStream
from seesay_sdk.errors import JobWaitTimeout, error_from_response
from seesay_sdk.types import (
    Account,
    CreatedKey,
    Description,
    Engine,
    Img2Voice,
    Job,
    Key,
    Speech,
    Transcription,
    Translation,
    Voice,
)

__all__ = ["Client"]


class Client:
    """A client of a SeeSay server's native API.

    ``base_url`` defaults to ``$SEESAY_BASE_URL`` (else ``http://127.0.0.1:8000``) and
    ``api_key`` to ``$SEESAY_API_KEY``. Calls that fail with a connection error, 429 or 503
    are retried up to ``max_retries`` times, waiting what ``Retry-After`` asks when that is
    at most ``max_retry_wait`` seconds; every POST carries one ``Idempotency-Key`` for all its
    attempts, so a retry never charges twice. Errors are the typed exceptions of
    :mod:`seesay_sdk.errors`.

    ``http_client`` lets you bring your own :class:`httpx.Client` (proxies, mounts, a test
    transport); the SeeSay client then does not close it.
    """

    def __init__(
        self,
        base_url: str | None = None,
        api_key: str | None = None,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int = 2,
        max_retry_wait: float = 30.0,
        headers: dict[str, str] | None = None,
        http_client: httpx.Client | None = None,
    ) -> None:
        self._options = ClientOptions.resolve(
            base_url, api_key, timeout, max_retries, max_retry_wait, headers
        )
        self._owns_http = http_client is None
        self._http = http_client or httpx.Client(
            timeout=self._options.timeout, follow_redirects=False
        )
        self.jobs = Jobs(self)
        self.keys = Keys(self)
        self.files = Files(self)

    @property
    def base_url(self) -> str:
        return self._options.base_url

    # -- transport ----------------------------------------------------------------------------

    def _build(self, call: Call, idempotency_key: str | None) -> httpx.Request:
        url = call.path if "://" in call.path else self._options.base_url + call.path
        headers = {
            **self._options.headers,
            **call.request_headers(self._options.api_key, idempotency_key),
        }
        return self._http.build_request(
            call.method,
            url,
            params=call.params,
            json=call.json,
            data=call.data,
            files=call.files,
            headers=headers,
            timeout=self._options.timeout,
        )

    def _send(self, call: Call, *, stream: bool = False) -> httpx.Response:
        """Send ``call``, retrying per the policy; returns a successful response."""
        policy = self._options.retry
        idempotency_key = call.logical_idempotency_key(policy.max_retries > 0)
        attempt = 0
        while True:
            request = self._build(call, idempotency_key)
            try:
                response = self._http.send(request, stream=stream)
            except httpx.TransportError as exc:
                delay = policy.delay_after_error(attempt)
                if delay is None:
                    raise connection_error(exc, request) from exc
            else:
                if response.is_success:
                    return response
                if stream:
                    response.read()
                    response.close()
                delay = policy.delay_after_response(attempt, response)
                if delay is None:
                    raise error_from_response(response)
            sleep(delay)
            attempt += 1

    # -- account ------------------------------------------------------------------------------

    def account(self, *, days: int | None = None) -> Account:
        """The plan, balances, usage of the last ``days`` days and webhook secret."""
        return parse(self._send(ep.account(days)), Account)

    # -- catalogue ----------------------------------------------------------------------------

    def voices(
        self,
        *,
        language: str | None = None,
        gender: Literal["female", "male", "neutral"] | None = None,
        engine: str | None = None,
    ) -> list[Voice]:
        """The voices this server speaks with, optionally only those of ``language``."""
        return parse_list(self._send(ep.voices(language, gender, engine)), Voice)

    def engines(self) -> list[Engine]:
        """The engines this server runs (vision, tts, stt, translate)."""
        return parse_list(self._send(ep.engines()), Engine)

    # -- inference ----------------------------------------------------------------------------

    @overload
    def speech(
        self,
        text: str,
        *,
        voice: str | None = ...,
        language: str | None = ...,
        speed: float | None = ...,
        format: str | None = ...,
        wait: Literal[True] = ...,
        webhook_url: str | None = ...,
        idempotency_key: str | None = ...,
    ) -> Speech: ...

    @overload
    def speech(
        self,
        text: str,
        *,
        voice: str | None = ...,
        language: str | None = ...,
        speed: float | None = ...,
        format: str | None = ...,
        wait: Literal[False],
        webhook_url: str | None = ...,
        idempotency_key: str | None = ...,
    ) -> Job: ...

    def speech(
        self,
        text: str,
        *,
        voice: str | None = None,
        language: str | None = None,
        speed: float | None = None,
        format: str | None = None,
        wait: bool = True,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
    ) -> Speech | Job:
        """Text to speech. ``wait=False`` queues a job and returns it at once (see
        :meth:`Jobs.wait`); otherwise the answer carries the signed ``audio_url``."""
        call = ep.speech(
            text,
            voice=voice,
            language=language,
            speed=speed,
            format=format,
            wait=wait,
            webhook_url=webhook_url,
            idempotency_key=idempotency_key,
        )
        response = self._send(call)
        return parse(response, Speech) if wait else parse(response, Job)

    def describe(
        self,
        image: ImageInput | None = None,
        *,
        image_base64: str | None = None,
        mime_type: str | None = None,
        detail: Literal["brief", "standard", "detailed"] | None = None,
        language: str | None = None,
        prompt: str | None = None,
        idempotency_key: str | None = None,
    ) -> Description:
        """Describe an image: a URL, a data URI, a path, bytes or a binary file (or raw
        ``image_base64``); ``prompt`` steers the description."""
        call = ep.describe(
            image,
            image_base64=image_base64,
            mime_type=mime_type,
            detail=detail,
            language=language,
            prompt=prompt,
            idempotency_key=idempotency_key,
        )
        return parse(self._send(call), Description)

    def img2voice(
        self,
        image: ImageInput | None = None,
        *,
        image_base64: str | None = None,
        mime_type: str | None = None,
        voice: str | None = None,
        language: str | None = None,
        detail: Literal["brief", "standard", "detailed"] | None = None,
        prompt: str | None = None,
        format: str | None = None,
        speed: float | None = None,
        idempotency_key: str | None = None,
    ) -> Img2Voice:
        """Describe an image and speak the description; the answer carries ``audio_url``."""
        call = ep.img2voice(
            image,
            image_base64=image_base64,
            mime_type=mime_type,
            voice=voice,
            language=language,
            detail=detail,
            prompt=prompt,
            format=format,
            speed=speed,
            stream=False,
            idempotency_key=idempotency_key,
        )
        return parse(self._send(call), Img2Voice)

    def img2voice_stream(
        self,
        image: ImageInput | None = None,
        *,
        image_base64: str | None = None,
        mime_type: str | None = None,
        voice: str | None = None,
        language: str | None = None,
        detail: Literal["brief", "standard", "detailed"] | None = None,
        prompt: str | None = None,
        format: str | None = None,
        speed: float | None = None,
        idempotency_key: str | None = None,
    ) -> AudioStream:
        """Like :meth:`img2voice`, answering the audio bytes as they are synthesized::

        stream = client.img2voice_stream("photo.jpg")
        with stream:
            for chunk in stream:
                ...
        """
        call = ep.img2voice(
            image,
            image_base64=image_base64,
            mime_type=mime_type,
            voice=voice,
            language=language,
            detail=detail,
            prompt=prompt,
            format=format,
            speed=speed,
            stream=True,
            idempotency_key=idempotency_key,
        )
        return AudioStream(self._send(call, stream=True))

    def transcribe(
        self,
        audio: AudioInput,
        *,
        language: str | None = None,
        translate: bool | None = None,
        word_timestamps: bool | None = None,
        prompt: str | None = None,
        idempotency_key: str | None = None,
    ) -> Transcription:
        """Speech to text; ``language`` None or ``"auto"`` detects it; ``translate=True``
        gives English text; ``word_timestamps=True`` fills each segment's ``words``."""
        call = ep.transcribe(
            audio,
            language=language,
            translate=translate,
            word_timestamps=word_timestamps,
            prompt=prompt,
            idempotency_key=idempotency_key,
        )
        return parse(self._send(call), Transcription)

    def translate(
        self,
        text: str,
        *,
        to: str,
        source: str | None = None,
        idempotency_key: str | None = None,
    ) -> Translation:
        """Translate ``text`` into the language ``to`` (``source`` detected when None)."""
        call = ep.translate(text, to=to, source=source, idempotency_key=idempotency_key)
        return parse(self._send(call), Translation)

    # -- lifecycle ----------------------------------------------------------------------------

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class Jobs:
    """``client.jobs``: queued jobs (``wait=False``): status, waiting and cancelling."""

    def __init__(self, client: Client) -> None:
        self._client = client

    def get(self, job_id: str) -> Job:
        return parse(self._client._send(ep.get_job(job_id)), Job)

    def cancel(self, job_id: str) -> Job:
        """Cancel a queued job (its credits are refunded); a started job comes back as is."""
        return parse(self._client._send(ep.cancel_job(job_id)), Job)

    def wait(
        self,
        job_id: str,
        *,
        timeout: float = 300.0,
        poll_interval: float = 0.5,
    ) -> Job:
        """Poll until the job succeeds, fails or is cancelled; returns its final state.

        Raises :class:`~seesay_sdk.errors.JobWaitTimeout` after ``timeout`` seconds.
        """
        deadline = time.monotonic() + timeout
        interval = poll_interval
        while True:
            job = self.get(job_id)
            if job.done:
                return job
            left = deadline - time.monotonic()
            if left <= 0:
                raise JobWaitTimeout(f"job {job_id} still {job.status} after {timeout} s", job=job)
            sleep(min(interval, left))
            interval = min(interval * 1.5, 5.0)


class Keys:
    """``client.keys``: the account's API keys."""

    def __init__(self, client: Client) -> None:
        self._client = client

    def create(
        self,
        *,
        name: str = "",
        mode: Literal["live", "test"] | None = None,
    ) -> CreatedKey:
        """A new key; ``key`` (the secret) is shown only in this answer."""
        return parse(self._client._send(ep.create_key(name, mode)), CreatedKey)

    def list(self) -> list[Key]:
        return parse_list(self._client._send(ep.list_keys()), Key)

    def revoke(self, key_id: str) -> Key:
        return parse(self._client._send(ep.revoke_key(key_id)), Key)


class Files:
    """``client.files``: signed downloads (no key is sent with them)."""

    def __init__(self, client: Client) -> None:
        self._client = client

    def download(self, url: str, to: str | os.PathLike[str] | None = None) -> bytes:
        """The file at a signed ``url`` (an ``audio_url``); also written to ``to`` if given."""
        response = self._client._send(ep.download(url))
        if to is not None:
            write_bytes(to, response.content)
        return response.content

    def stream(self, url: str) -> AudioStream:
        """The file at a signed ``url`` as a stream (use it with ``with``)."""
        return AudioStream(self._client._send(ep.download(url), stream=True))
