"""Where a client's work runs: in this process over the services (:mod:`.local`), or on a
SeeSay server through the SDK (:mod:`.remote`), behind one :class:`Backend` interface that the
CLI and the MCP server both use."""

from seesay.backends.base import (
    Backend,
    DescribeOptions,
    LoadProgress,
    SpeechOptions,
    error_dict,
    expected_errors,
)
from seesay.backends.choose import open_backend

__all__ = [
    "Backend",
    "DescribeOptions",
    "LoadProgress",
    "SpeechOptions",
    "error_dict",
    "expected_errors",
    "open_backend",
]
