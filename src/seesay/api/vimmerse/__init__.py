"""The Vimmerse audio-compatible surface (``/compat/vimmerse/v2/audio``): a Vimmerse client's
audio calls work against SeeSay by changing only the base URL and the ``X-Api-Key``.

Errors are FastAPI-shaped as Vimmerse's are (see ``errors.py``) for every path under
``/compat/vimmerse``.
"""

from __future__ import annotations

from fastapi import FastAPI

from seesay.api.errors import ErrorRouter

__all__ = ["install"]


def install(app: FastAPI, errors: ErrorRouter) -> None:
    from seesay.api.vimmerse.errors import render_vimmerse_error
    from seesay.api.vimmerse.routes import router

    app.include_router(router)
    errors.register("/compat/vimmerse", render_vimmerse_error)
