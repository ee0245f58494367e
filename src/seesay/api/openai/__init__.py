"""The OpenAI-compatible surface at ``/v1``: audio, chat completions and models.

``/v1`` is shared with the native API, so OpenAI's error shape is registered for the OpenAI
route prefixes only (``/v1/audio``, ``/v1/chat``, ``/v1/models``).
"""

from __future__ import annotations

from fastapi import FastAPI

from seesay.api.errors import ErrorRouter

__all__ = ["PREFIXES", "install"]

PREFIXES = ("/v1/audio", "/v1/chat", "/v1/models")


def install(app: FastAPI, errors: ErrorRouter) -> None:
    from seesay.api.openai import audio, chat, models
    from seesay.api.openai.errors import render_openai_error

    for module in (audio, chat, models):
        app.include_router(module.router)
    for prefix in PREFIXES:
        errors.register(prefix, render_openai_error)
