"""HTTP surfaces. The only package that imports FastAPI."""

from seesay.api.app import create_app

__all__ = ["create_app"]
