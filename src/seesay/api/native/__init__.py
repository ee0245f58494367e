"""The native SeeSay API (``/v1``, ``/files``, health and metrics)."""

from __future__ import annotations

from fastapi import FastAPI

from seesay.api.errors import ErrorRouter

__all__ = ["install"]


def install(app: FastAPI, errors: ErrorRouter) -> None:
    """Mount the native routes. Native errors are the app-wide default shape."""
    from seesay.api.native import (
        account,
        admin_models,
        catalog,
        describe,
        files,
        jobs,
        sounds,
        speech,
        system,
        transcribe,
        voices_clone,
    )

    modules = [system, account, jobs, files, speech, describe, transcribe, catalog]
    modules += [voices_clone, sounds, admin_models]
    for module in modules:
        app.include_router(module.router)
