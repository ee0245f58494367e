"""Compatibility: the SDK's result models are :mod:`seesay_sdk.types` (the same classes)."""

from seesay_sdk.types import *  # noqa: F403
from seesay_sdk.types import __all__ as __all__
