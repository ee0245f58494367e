"""Absolute URLs for links the API hands out (signed audio)."""

from __future__ import annotations

from fastapi import Request

from seesay.services.container import Platform

__all__ = ["absolute_url", "origin"]


def origin(request: Request, platform: Platform) -> str:
    """The configured public origin, else the origin the client used (no trailing slash)."""
    return (platform.settings.public_base_url or str(request.base_url)).rstrip("/")


def absolute_url(request: Request, platform: Platform, path: str) -> str:
    """``path`` on :func:`origin`."""
    return origin(request, platform) + path
