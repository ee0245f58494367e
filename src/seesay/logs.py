"""Process logging: one line per event, as text or JSON, with the request it belongs to.

Every record carries ``request_id`` and ``account_id`` from the *log context* (a context
variable): the API's request middleware opens one per request, authentication binds the
account, and a job runs under the context of the request that submitted it, so an engine load
or a job's state change logged deep inside the work names the request it serves. The context
also adds up the credits a request settles, for its request line.

Events are logged with :func:`event` (a message plus structured fields); the text formatter
renders the fields as ``key=value`` after the message and the JSON formatter as keys of one
JSON object per line.

Secrets never reach a log: :class:`RedactSecrets` (installed on every handler by
:func:`logging_config`) scrubs API keys, webhook secrets, bearer tokens, URL passwords and the
values of secret-bearing query parameters (``sig``, ``token``, ``api_key``, ``code``, ...)
from the message, the fields and any traceback. It is a safety net: code logs ids, never keys.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final, Literal

__all__ = [
    "JsonFormatter",
    "LogContext",
    "LogFormat",
    "RedactSecrets",
    "TextFormatter",
    "bind_account",
    "current",
    "event",
    "log_context",
    "logging_config",
    "note_credits",
    "redact",
]

LogFormat = Literal["text", "json"]


@dataclass
class LogContext:
    """What the records logged inside one request (or one job) share."""

    request_id: str | None = None
    account_id: str | None = None
    millicredits: int = 0  # settled by this request so far


_context: ContextVar[LogContext | None] = ContextVar("seesay_log_context", default=None)


@contextmanager
def log_context(request_id: str | None, account_id: str | None = None) -> Iterator[LogContext]:
    """Run the block under a fresh log context. Threads started with a copy of this context
    (FastAPI's thread pool, the inference pool) share the same object, so what they bind or
    charge is seen by the request's line."""
    token = _context.set(LogContext(request_id, account_id))
    try:
        yield _require()
    finally:
        _context.reset(token)


def _require() -> LogContext:
    ctx = _context.get()
    assert ctx is not None
    return ctx


def current() -> LogContext | None:
    """The active log context, or None outside any request or job."""
    return _context.get()


def bind_account(account_id: str) -> None:
    """Name the authenticated account on the active context (a no-op outside one)."""
    ctx = _context.get()
    if ctx is not None:
        ctx.account_id = account_id


def note_credits(millicredits: int) -> None:
    """Add credits settled by the active request (a no-op outside one)."""
    ctx = _context.get()
    if ctx is not None and millicredits > 0:
        ctx.millicredits += millicredits


def event(logger: logging.Logger, message: str, level: int = logging.INFO, **fields: Any) -> None:
    """Log ``message`` with structured ``fields`` (None values left out)."""
    if logger.isEnabledFor(level):
        kept = {k: v for k, v in fields.items() if v is not None}
        logger.log(level, message, extra={"fields": kept})


# -- secrets -----------------------------------------------------------------------------

_MASK: Final = "[redacted]"
_SECRET_PATTERNS: Final = (
    # API keys (seesay_live_/seesay_test_ + 43 url-safe characters), webhook secrets.
    re.compile(r"()seesay_(?:live|test)_[A-Za-z0-9_-]{8,}"),
    re.compile(r"()whsec_[0-9a-fA-F]{8,}"),
    # Authorization headers.
    re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]{8,}"),
    # Values of query parameters that carry secrets (a signed URL's signature among them).
    re.compile(
        r"(?i)([?&](?:sig|signature|token|access_token|api_key|apikey|key|code|secret|"
        r"password)=)[^&\s\"'#]+"
    ),
    # Passwords in URLs (scheme://user:password@host).
    re.compile(r"(://[^/@\s:]*:)[^/@\s]+(?=@)"),
)


def redact(text: str) -> str:
    """``text`` with every secret pattern masked (each pattern's group 1 is kept)."""
    for pattern in _SECRET_PATTERNS:
        text = pattern.sub(lambda m: m.group(1) + _MASK, text)
    return text


def _redact_value(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, Mapping):
        return {k: _redact_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_redact_value(v) for v in value]
    return value


class RedactSecrets(logging.Filter):
    """Renders the record's message and masks secrets in it, in its fields and its
    traceback, before any formatter sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        fields = getattr(record, "fields", None)
        if isinstance(fields, Mapping):
            record.fields = _redact_value(fields)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class ContextFields(logging.Filter):
    """Stamps ``request_id`` and ``account_id`` from the log context on each record (a
    record may carry its own, e.g. a job's)."""

    def filter(self, record: logging.LogRecord) -> bool:
        ctx = _context.get()
        if getattr(record, "request_id", None) is None:
            record.request_id = ctx.request_id if ctx else None
        if getattr(record, "account_id", None) is None:
            record.account_id = ctx.account_id if ctx else None
        return True


# -- formatters ----------------------------------------------------------------------------


def _timestamp(record: logging.LogRecord) -> str:
    return datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")


def _text_value(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    return json.dumps(text) if not text or any(c in text for c in ' ="') else text


class TextFormatter(logging.Formatter):
    """``<time> <LEVEL> <logger> <message> request_id=... account_id=... key=value ...``"""

    def format(self, record: logging.LogRecord) -> str:
        parts = [_timestamp(record), record.levelname, record.name, record.getMessage()]
        pairs: dict[str, Any] = {
            "request_id": getattr(record, "request_id", None),
            "account_id": getattr(record, "account_id", None),
            **(getattr(record, "fields", None) or {}),
        }
        parts += [f"{k}={_text_value(v)}" for k, v in pairs.items() if v is not None]
        line = " ".join(parts)
        exc = record.exc_text or (self.formatException(record.exc_info) if record.exc_info else "")
        return f"{line}\n{exc}" if exc else line


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ``ts``, ``level``, ``logger``, ``message``, the context's
    ``request_id`` and ``account_id``, the event's fields, and ``exc`` for a traceback."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "ts": _timestamp(record),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in ("request_id", "account_id"):
            value = getattr(record, name, None)
            if value is not None:
                out[name] = value
        for key, value in (getattr(record, "fields", None) or {}).items():
            out.setdefault(key, value)
        exc = record.exc_text or (self.formatException(record.exc_info) if record.exc_info else "")
        if exc:
            out["exc"] = exc
        return json.dumps(out, default=str, ensure_ascii=False)


def logging_config(level: str = "info", fmt: LogFormat = "text") -> dict[str, Any]:
    """A ``logging.config.dictConfig`` for a SeeSay process (also uvicorn's ``log_config``):
    everything to stderr in ``fmt``, through the context and redaction filters. uvicorn's
    access log is off: the request middleware logs one richer line per request instead."""
    formatter = JsonFormatter if fmt == "json" else TextFormatter
    handler = {
        "class": "logging.StreamHandler",
        "stream": "ext://sys.stderr",
        "formatter": "seesay",
        "filters": ["context", "redact"],
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": ContextFields}, "redact": {"()": RedactSecrets}},
        "formatters": {"seesay": {"()": formatter}},
        "handlers": {"default": handler},
        "root": {"handlers": ["default"], "level": level.upper()},
        "loggers": {
            "uvicorn": {"handlers": [], "level": level.upper(), "propagate": True},
            "uvicorn.error": {"handlers": [], "level": level.upper(), "propagate": True},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
            # Libraries that log each outgoing request with its full URL at INFO.
            "httpx": {"level": "WARNING"},
            "huey": {"level": "WARNING"},
        },
    }
