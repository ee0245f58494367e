"""SeeSay: a self-hosted API server that sees an image and says what is in it.

``seesay.Client`` and ``seesay.AsyncClient`` (the Python SDK, :mod:`seesay.sdk`) are loaded
on first use, so ``import seesay`` stays light.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

try:
    __version__ = version("seesay")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0"

if TYPE_CHECKING:
    from seesay.sdk import AsyncClient, Client

__all__ = ["AsyncClient", "Client", "__version__"]

_LAZY = {"Client", "AsyncClient"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from seesay import sdk

        return getattr(sdk, name)
    raise AttributeError(f"module 'seesay' has no attribute {name!r}")
