"""The Image Describer-compatible surface (``/compat/imagedescriber``): a client of Image
Describer's API v2 works against SeeSay by changing only its base URL and key (Bearer)."""

from __future__ import annotations

from fastapi import FastAPI

from seesay.api.errors import ErrorRouter

__all__ = ["install"]


def install(app: FastAPI, errors: ErrorRouter) -> None:
    from seesay.api.imagedescriber.errors import render_describer_error
    from seesay.api.imagedescriber.routes import PREFIX, router

    app.include_router(router)
    errors.register(PREFIX, render_describer_error)
