"""WebVoice image and video generation, forwarded to configured upstream providers.

SeeSay runs no image or video model; ``image/``, ``image-to-image/``, ``image-to-video/`` and
``text-to-video/`` forward the caller's JSON to the provider configured for that endpoint
(``webvoice.media.<endpoint>``: an upstream speaking the same WebVoice media API at
``{base_url}/<endpoint>/``), with the provider's key, never the caller's.

Contract of :meth:`MediaForwarder.generate`:
- no provider configured: ``ServiceUnavailable`` naming the setting, before any charge;
- the request is checked first (prompt, inputs, duration) and charged from the price table
  (``webvoice_image`` per image, ``webvoice_image_edit`` per edit, ``webvoice_*_video`` per
  started 5 seconds), held before forwarding and refunded if the provider fails;
- provider failures are ``UpstreamError`` naming the provider and HTTP status, never echoing
  its body; a provider answer without the expected base64 payload is one too;
- the answer is the provider's, with ``success`` and SeeSay's own ``credits_used`` and
  ``credits_remaining`` (credits) set.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from seesay.accounts.plans import CREDIT
from seesay.accounts.service import Principal
from seesay.engines.upstream import UpstreamClient
from seesay.errors import InvalidRequest, ServiceUnavailable, UpstreamError
from seesay.services.metering import Metering
from seesay.services.webvoice.settings import MediaProviderSettings, MediaSettings

__all__ = ["ENDPOINTS", "MediaEndpoint", "MediaForwarder"]

MAX_PROMPT_CHARS = 4000


@dataclass(frozen=True, slots=True)
class MediaEndpoint:
    path: str  # the WebVoice route, e.g. "image-to-video"
    setting: str  # the field of MediaSettings
    feature: str  # the priced feature
    output: str  # "image" or "video": the base64 field the answer must carry


ENDPOINTS: dict[str, MediaEndpoint] = {
    e.path: e
    for e in (
        MediaEndpoint("image", "image", "webvoice_image", "image"),
        MediaEndpoint("image-to-image", "image_to_image", "webvoice_image_edit", "image"),
        MediaEndpoint("image-to-video", "image_to_video", "webvoice_image_to_video", "video"),
        MediaEndpoint("text-to-video", "text_to_video", "webvoice_text_to_video", "video"),
    )
}


def _quantity(endpoint: MediaEndpoint, body: Mapping[str, Any]) -> int:
    if endpoint.path == "image":
        count = body.get("num_images", 1)
        if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= 2:
            raise InvalidRequest("num_images must be 1 or 2", param="num_images")
        return count
    if endpoint.output == "video":
        seconds = body.get("duration", 5)
        if not isinstance(seconds, int) or isinstance(seconds, bool) or not 2 <= seconds <= 15:
            raise InvalidRequest(
                "duration must be a whole number of seconds, 2-15", param="duration"
            )
        return math.ceil(seconds / 5)
    return 1


def _check(endpoint: MediaEndpoint, body: dict[str, Any]) -> None:
    prompt = body.get("prompt")
    if not isinstance(prompt, str) or not prompt.strip():
        raise InvalidRequest("prompt is required", param="prompt")
    body["prompt"] = prompt[:MAX_PROMPT_CHARS]  # the spec truncates server-side
    if endpoint.path == "image-to-image":
        images = body.get("images") or body.get("image_urls") or body.get("image_url")
        images = images or body.get("image")
        if isinstance(images, str):
            images = [part for part in images.split(",") if part.strip()]
        if not isinstance(images, list) or not 1 <= len(images) <= 4:
            raise InvalidRequest("images: give 1 to 4 image URLs or base64 images", param="images")
    if endpoint.path == "image-to-video" and not (body.get("image_url") or body.get("image")):
        raise InvalidRequest("image_url (or a base64 image) is required", param="image_url")


class MediaForwarder:
    def __init__(self, settings: MediaSettings, metering: Metering) -> None:
        self._settings = settings
        self._metering = metering
        self._clients: dict[str, UpstreamClient] = {}
        self._lock = threading.Lock()

    def _client(self, endpoint: MediaEndpoint) -> UpstreamClient:
        provider: MediaProviderSettings | None = getattr(self._settings, endpoint.setting)
        if provider is None:
            env = f"SEESAY_WEBVOICE__MEDIA__{endpoint.setting.upper()}__BASE_URL"
            raise ServiceUnavailable(
                f"No {endpoint.path} provider is configured on this server; the operator "
                f"must set {env} (and its __API_KEY)."
            )
        with self._lock:
            client = self._clients.get(endpoint.path)
            if client is None:
                client = UpstreamClient(provider, provider=f"the {endpoint.path} provider")
                self._clients[endpoint.path] = client
            return client

    def generate(self, principal: Principal, path: str, body: dict[str, Any]) -> dict[str, Any]:
        endpoint = ENDPOINTS[path]
        client = self._client(endpoint)
        body = dict(body)
        _check(endpoint, body)
        quantity = _quantity(endpoint, body)
        with self._metering.charge(principal, endpoint.feature, quantity) as charge:
            response = client.request("POST", f"{endpoint.path}/", json=body)
            answer = client.json(response)
            if not isinstance(answer, dict) or not isinstance(answer.get(endpoint.output), str):
                raise UpstreamError(
                    f"{client.provider} answered without {endpoint.output} data",
                    upstream_status=response.status_code,
                )
        answer.update(
            success=True,
            credits_used=charge.held.amount / CREDIT,
            credits_remaining=charge.remaining / CREDIT,
        )
        return answer

    def close(self) -> None:
        with self._lock:
            for client in self._clients.values():
                client.close()
            self._clients.clear()
