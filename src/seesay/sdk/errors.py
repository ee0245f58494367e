"""Compatibility: the SDK's errors are :mod:`seesay_sdk.errors` (the same classes)."""

from seesay_sdk.errors import *  # noqa: F403
from seesay_sdk.errors import __all__ as __all__
