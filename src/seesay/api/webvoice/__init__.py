"""The WebVoice-compatible surface at ``/compat/webvoice/api/v1/`` (spec: webvoice-api-v1).

A WebVoice client works by changing only its base URL; keys are SeeSay keys. Errors are
``{"error", "message"}`` with the spec's statuses, for every path under the prefix.
"""

from __future__ import annotations

from fastapi import FastAPI

from seesay.api.errors import ErrorRouter
from seesay.api.webvoice.deps import PREFIX
from seesay.api.webvoice.errors import render_webvoice_error

__all__ = ["PREFIX", "install"]


def install(app: FastAPI, errors: ErrorRouter) -> None:
    from seesay.api.webvoice import account, auth, chat, media, messages, speech, text

    for module in (auth, account, speech, text, chat, messages, media):
        app.include_router(module.router)
    errors.register("/compat/webvoice", render_webvoice_error)
