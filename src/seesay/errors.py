"""The one exception tree of SeeSay.

Services and engines raise these; every API surface maps them once to its own wire shape.
Nothing here knows HTTP: ``status`` is only a hint the surfaces may use.

    SeeSayError
    ├── InvalidRequest                 bad input the caller can fix        (400)
    │   ├── InvalidImage               undecodable, unsupported or too big an image
    │   ├── InvalidAudio               undecodable, unsupported or too long audio
    │   ├── UnsafeUrl                  a URL the guarded fetcher refuses
    │   ├── UnsupportedLanguage        no configured engine serves the language
    │   ├── UnknownVoice               no such voice
    │   └── PayloadTooLarge            body over the size cap              (413)
    ├── AuthenticationFailed           missing, unknown or revoked key     (401)
    ├── PermissionDenied               authenticated but not allowed       (403)
    │   └── PlanRequired               the plan lacks the feature
    ├── NotFound                       no such resource for this account   (404)
    ├── Conflict                                                            (409)
    │   └── IdempotencyInProgress      same Idempotency-Key still running
    ├── IdempotencyMismatch            same Idempotency-Key, other body    (422)
    ├── InsufficientCredits            balance below the price             (402)
    ├── RateLimited                    requests per window exceeded        (429)
    │   └── ConcurrencyLimited         too many requests at once
    ├── ContentRejected                the safety check refused the input  (422)
    ├── EngineError                    inference failed                    (500)
    │   ├── EngineUnavailable          not installed or not configured     (503)
    │   ├── UpstreamError              a remote provider failed            (502)
    │   └── EngineTimeout              inference or queue wait too long    (504)
    └── ServiceUnavailable             a backing service is down           (503)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = [
    "AuthenticationFailed",
    "ConcurrencyLimited",
    "Conflict",
    "ContentRejected",
    "EngineError",
    "EngineTimeout",
    "EngineUnavailable",
    "IdempotencyInProgress",
    "IdempotencyMismatch",
    "InsufficientCredits",
    "InvalidAudio",
    "InvalidImage",
    "InvalidRequest",
    "NotFound",
    "PayloadTooLarge",
    "PermissionDenied",
    "PlanRequired",
    "RateLimited",
    "SeeSayError",
    "ServiceUnavailable",
    "UnknownVoice",
    "UnsafeUrl",
    "UnsupportedLanguage",
    "UpstreamError",
]


class SeeSayError(Exception):
    """Base of every error SeeSay raises on purpose.

    ``code`` is a stable snake_case identifier, ``message`` is safe to show to the caller,
    ``param`` names the offending input field when there is one, and ``details`` carries
    structured extras (never secrets) that a surface may render.
    """

    code = "server_error"
    status = 500

    def __init__(
        self,
        message: str,
        *,
        param: str | None = None,
        details: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.param = param
        self.details: dict[str, Any] = dict(details or {})


class InvalidRequest(SeeSayError):
    code = "invalid_request"
    status = 400


class InvalidImage(InvalidRequest):
    code = "invalid_image"


class InvalidAudio(InvalidRequest):
    code = "invalid_audio"


class UnsafeUrl(InvalidRequest):
    code = "unsafe_url"


class UnsupportedLanguage(InvalidRequest):
    """No configured engine serves the language; ``details['supported']`` lists those that do."""

    code = "invalid_language"


class UnknownVoice(InvalidRequest):
    code = "invalid_voice"


class PayloadTooLarge(InvalidRequest):
    code = "payload_too_large"
    status = 413


class AuthenticationFailed(SeeSayError):
    code = "invalid_api_key"
    status = 401


class PermissionDenied(SeeSayError):
    code = "permission_denied"
    status = 403


class PlanRequired(PermissionDenied):
    code = "plan_required"


class NotFound(SeeSayError):
    code = "not_found"
    status = 404


class Conflict(SeeSayError):
    code = "conflict"
    status = 409


class IdempotencyInProgress(Conflict):
    code = "idempotency_in_progress"


class IdempotencyMismatch(SeeSayError):
    code = "idempotency_mismatch"
    status = 422


class InsufficientCredits(SeeSayError):
    """``needed`` and ``available`` are in ledger units (millicredits)."""

    code = "quota_exceeded"
    status = 402

    def __init__(self, message: str, *, needed: int, available: int) -> None:
        super().__init__(message, details={"needed": needed, "available": available})
        self.needed = needed
        self.available = available


class RateLimited(SeeSayError):
    """``retry_after`` in whole seconds; ``limit``/``remaining``/``reset`` feed X-RateLimit-*."""

    code = "rate_limit_exceeded"
    status = 429

    def __init__(
        self,
        message: str,
        *,
        retry_after: int,
        limit: int,
        remaining: int = 0,
        reset: int = 0,
    ) -> None:
        super().__init__(message, details={"retry_after": retry_after})
        self.retry_after = max(1, retry_after)
        self.limit = limit
        self.remaining = remaining
        self.reset = reset


class ConcurrencyLimited(RateLimited):
    code = "concurrency_limit_exceeded"


class ContentRejected(SeeSayError):
    code = "content_rejected"
    status = 422


class EngineError(SeeSayError):
    code = "engine_error"
    status = 500


class EngineUnavailable(EngineError):
    code = "engine_unavailable"
    status = 503


class UpstreamError(EngineError):
    """A remote provider failed. ``upstream_status`` is what it answered, if anything."""

    code = "upstream_error"
    status = 502

    def __init__(
        self,
        message: str,
        *,
        upstream_status: int | None = None,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(message)
        self.upstream_status = upstream_status
        self.retry_after = retry_after


class EngineTimeout(EngineError):
    code = "timeout"
    status = 504


class ServiceUnavailable(SeeSayError):
    code = "service_unavailable"
    status = 503
