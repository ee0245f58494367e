"""Absolute URLs for links the API hands out (signed audio)."""

from __future__ import annotations

from fastapi import Request

from seesay.services.container import Platform

__all__ = ["absolute_url"]


def absolute_url(request: Request, platform: Platform, path: str) -> str:
    """``path`` on the configured public origin, else on the origin the client used."""
    base = platform.settings.public_base_url or str(request.base_url)
    return base.rstrip("/") + path
