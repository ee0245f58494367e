"""The one exception tree of SeeSay.

Services and engines raise these; every API surface maps them once to its own wire shape.
Nothing here knows HTTP: ``status`` is only a hint the surfaces may use.

    SeeSayError                                                        HTTP   retry
    ├── InvalidRequest                 bad input the caller can fix        400    no
    │   ├── InvalidFields              fields that fail the request schema
    │   ├── InvalidImage               undecodable, unsupported or too big an image
    │   ├── InvalidAudio               undecodable, unsupported or too long audio
    │   ├── UnsafeUrl                  a URL the guarded fetcher refuses
    │   ├── UnsupportedLanguage        no configured engine serves the language
    │   ├── UnknownVoice               no such voice
    │   └── PayloadTooLarge            body over the size cap              413
    ├── AuthenticationFailed           missing, unknown or revoked key     401    no
    ├── PermissionDenied               authenticated but not allowed       403    no
    │   └── PlanRequired               the plan lacks the feature
    ├── NotFound                       no such resource for this account   404    no
    ├── Conflict                                                            409    no
    │   └── IdempotencyInProgress      same Idempotency-Key still running
    ├── IdempotencyMismatch            same Idempotency-Key, other body    422    no
    ├── InsufficientCredits            balance below the price             402    no
    ├── RateLimited                    requests per window exceeded        429    yes
    │   └── ConcurrencyLimited         too many requests at once                  yes
    ├── ContentRejected                the safety check refused the input  422    no
    ├── EngineError                    inference failed                    500    yes
    │   ├── EngineUnavailable          not installed or not configured     503    yes
    │   ├── UpstreamError              a remote provider failed            502    if *
    │   └── EngineTimeout              inference or queue wait too long    504    yes
    └── ServiceUnavailable             a backing service is down           503    yes

``retryable`` says whether another attempt of the same work may succeed: a job whose handler
raised a retryable error is run again (with backoff) until its attempts run out; any other
error fails it at once. A subclass inherits its parent's answer. (*) An ``UpstreamError`` is
retryable when the provider could not be reached or answered nothing usable, 408, 425, 429
or 5xx; a provider that refused the request (another 4xx) would refuse it again. An
unexpected exception (not a ``SeeSayError``) counts as retryable.

``to_dict()`` gives a JSON-safe dict (how errors cross the queue and rest in job rows) that
``SeeSayError.from_dict()`` rebuilds into the same class with every field: message, param,
details, ``code`` and ``status`` (also when set on the instance), and the extra constructor
fields some classes have (``needed``/``available``, ``retry_after``/``limit``/``remaining``/
``reset``, ``upstream_status``/``retry_after``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

__all__ = [
    "AuthenticationFailed",
    "ChecksumMismatch",
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
    "InvalidFields",
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
    structured extras (never secrets, JSON-safe) that a surface may render. ``retryable``
    says whether another attempt may succeed (the tree above).
    """

    code = "server_error"
    status = 500
    retryable = True
    #: Constructor keywords beyond ``message``, each kept as the attribute of that name, with
    #: the value that rebuilds a stored dict lacking it (one stored before the field was).
    extras: ClassVar[Mapping[str, Any]] = {}

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

    def to_dict(self) -> dict[str, Any]:
        """Every field as JSON-safe data; ``from_dict`` rebuilds the error from it.

        ``type`` names the class, or for a class defined outside this module, its nearest
        ancestor here (``code`` and ``status`` keep what the instance says).
        """
        data: dict[str, Any] = {
            "type": _tree_class(type(self)).__name__,
            "code": self.code,
            "status": self.status,
            "message": self.message,
            "param": self.param,
            "details": dict(self.details),
        }
        data.update({name: getattr(self, name) for name in _tree_class(type(self)).extras})
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SeeSayError:
        """The error ``to_dict`` described (of the class it names, whatever ``cls`` is).

        A dict naming no class of this tree, or one the class cannot be built from, gives an
        ``EngineError`` with the same message: whatever arrives, the caller gets an error.
        """
        target = _TREE.get(str(data.get("type")))
        message = data.get("message")
        message = message if isinstance(message, str) else str(message or "error")
        details = data.get("details")
        details = dict(details) if isinstance(details, Mapping) else {}
        param = data.get("param")
        param = param if isinstance(param, str) else None
        if target is None:
            return EngineError(message, param=param, details=details)
        kwargs = {
            name: data.get(name, details.get(name, default))
            for name, default in target.extras.items()
        }
        try:
            err = target(message, **kwargs) if target.extras else target(message)
        except (TypeError, ValueError):
            return EngineError(message, param=param, details=details)
        err.param, err.details = param, details
        if isinstance(data.get("code"), str):
            err.code = data["code"]
        if isinstance(data.get("status"), int):
            err.status = data["status"]
        return err


class InvalidRequest(SeeSayError):
    code = "invalid_request"
    status = 400
    retryable = False


class InvalidFields(InvalidRequest):
    """Fields that fail the request's schema. ``details['errors']`` lists every failure as
    ``{"loc": [...], "msg": ..., "type": ...}``; ``param`` and the message name the first."""


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
    retryable = False


class PermissionDenied(SeeSayError):
    code = "permission_denied"
    status = 403
    retryable = False


class PlanRequired(PermissionDenied):
    code = "plan_required"


class NotFound(SeeSayError):
    code = "not_found"
    status = 404
    retryable = False


class Conflict(SeeSayError):
    code = "conflict"
    status = 409
    retryable = False


class IdempotencyInProgress(Conflict):
    code = "idempotency_in_progress"


class IdempotencyMismatch(SeeSayError):
    code = "idempotency_mismatch"
    status = 422
    retryable = False


class InsufficientCredits(SeeSayError):
    """``needed`` and ``available`` are in ledger units (millicredits)."""

    code = "quota_exceeded"
    status = 402
    retryable = False
    extras: ClassVar[Mapping[str, Any]] = {"needed": 0, "available": 0}

    def __init__(self, message: str, *, needed: int, available: int) -> None:
        super().__init__(message, details={"needed": needed, "available": available})
        self.needed = needed
        self.available = available


class RateLimited(SeeSayError):
    """``retry_after`` in whole seconds; ``limit``/``remaining``/``reset`` feed X-RateLimit-*."""

    code = "rate_limit_exceeded"
    status = 429
    extras: ClassVar[Mapping[str, Any]] = {"retry_after": 1, "limit": 0, "remaining": 0, "reset": 0}

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
    retryable = False


class EngineError(SeeSayError):
    code = "engine_error"
    status = 500


class EngineUnavailable(EngineError):
    code = "engine_unavailable"
    status = 503


class UpstreamError(EngineError):
    """A remote provider failed. ``upstream_status`` is what it answered, if anything;
    ``retryable`` follows from it (the tree above)."""

    code = "upstream_error"
    status = 502
    extras: ClassVar[Mapping[str, Any]] = {"upstream_status": None, "retry_after": None}

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
        self.retryable = (
            upstream_status is None
            or upstream_status >= 500
            or upstream_status in _RETRYABLE_UPSTREAM
        )


class EngineTimeout(EngineError):
    code = "timeout"
    status = 504


class ChecksumMismatch(SeeSayError):
    """Bytes that do not match the checksum announced or pinned for them (a model download
    or an imported archive): nothing made of them is used."""

    code = "checksum_mismatch"
    status = 502
    retryable = False


class ServiceUnavailable(SeeSayError):
    code = "service_unavailable"
    status = 503


# Upstream statuses besides 5xx after which another attempt may succeed.
_RETRYABLE_UPSTREAM = frozenset({408, 425, 429})


def _tree_class(cls: type[SeeSayError]) -> type[SeeSayError]:
    """``cls``, or its nearest ancestor defined in this module."""
    return next(c for c in cls.__mro__ if c.__module__ == __name__)


_TREE: dict[str, type[SeeSayError]] = {
    c.__name__: c
    for c in list(globals().values())
    if isinstance(c, type) and issubclass(c, SeeSayError)
}
