"""The img2voice-compatible surface (``/compat/img2voice/v1``): a client of img2voice works
against SeeSay by changing only its base URL and key (sent in ``IMG2VOICE-API-KEY``)."""

from __future__ import annotations

from fastapi import FastAPI

from seesay.api.errors import ErrorRouter

__all__ = ["install"]


def install(app: FastAPI, errors: ErrorRouter) -> None:
    from seesay.api.img2voice.errors import render_img2voice_error
    from seesay.api.img2voice.routes import PREFIX, router

    app.include_router(router)
    errors.register(PREFIX.rsplit("/", 1)[0], render_img2voice_error)
