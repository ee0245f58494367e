"""The web playground surface: ``GET /`` and its static files (no API key needed: the page
asks for one and keeps it in the browser session)."""

from __future__ import annotations

from fastapi import FastAPI

from seesay.api.errors import ErrorRouter

__all__ = ["install"]


def install(app: FastAPI, errors: ErrorRouter) -> None:
    """Mount the playground. Its 404s use the app's default (native) error shape."""
    from seesay.api.web.assets import load_assets
    from seesay.api.web.routes import build_router

    app.include_router(build_router(load_assets()))
