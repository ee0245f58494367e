"""The Voice Clone-compatible surface (``/compat/voiceclone/api/v1``): a client of the Voice
Clone & Text-to-Speech API works against SeeSay by changing only its base URL and key.

Errors are ``{"code", "error"}`` with the spec's codes (see ``errors.py``) for every path under
``/compat/voiceclone``.
"""

from __future__ import annotations

from fastapi import FastAPI

from seesay.api.errors import ErrorRouter

__all__ = ["install"]


def install(app: FastAPI, errors: ErrorRouter) -> None:
    from seesay.api.voiceclone.errors import render_voiceclone_error
    from seesay.api.voiceclone.routes import router

    app.include_router(router)
    errors.register("/compat/voiceclone", render_voiceclone_error)
