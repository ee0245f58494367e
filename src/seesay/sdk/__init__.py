"""Compatibility: the Python SDK is its own distribution, ``seesay-sdk`` (import
:mod:`seesay_sdk`). This module and its ``errors`` and ``types`` re-export it, so code
written as ``from seesay.sdk import Client`` keeps working; new code imports ``seesay_sdk``.
"""

from seesay_sdk import *  # noqa: F403
from seesay_sdk import __all__ as __all__
