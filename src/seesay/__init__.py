"""SeeSay: a self-hosted API server that sees an image and says what is in it.

``seesay.Client`` and ``seesay.AsyncClient`` are the Python SDK's clients, kept here for
compatibility: the SDK is its own distribution, ``seesay-sdk`` (import :mod:`seesay_sdk`).
They are loaded on first use, so ``import seesay`` stays light.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

try:
    __version__ = version("seesay")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0"

if TYPE_CHECKING:
    from seesay_sdk import AsyncClient, Client

__all__ = ["AsyncClient", "Client", "__version__"]

_LAZY = {"Client", "AsyncClient"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import seesay_sdk

        return getattr(seesay_sdk, name)
    raise AttributeError(f"module 'seesay' has no attribute {name!r}")
