"""The SDK's version (read by hatchling when building, sent in the ``User-Agent``)."""

__all__ = ["__version__"]

__version__ = "0.1.0"
