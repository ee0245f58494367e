"""Logging of ``seesay serve``: uvicorn's configuration with query strings kept out of the
access log.

A query string may carry a secret (``?api_key=``, ``?token=``, a signed URL's signature) even
when the request is refused, and access logs are kept, shipped and read far more widely than
the server's data. The access line therefore shows the path only.
"""

from __future__ import annotations

import copy
import logging
from typing import Any

from uvicorn.config import LOGGING_CONFIG

__all__ = ["DropQueryString", "uvicorn_log_config"]


class DropQueryString(logging.Filter):
    """Cuts the query string off the path of uvicorn's access records
    (``client, method, path, http_version, status``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) == 5 and isinstance(args[2], str):
            path = args[2].split("?", 1)[0]
            record.args = (args[0], args[1], path, args[3], args[4])
        return True


def uvicorn_log_config() -> dict[str, Any]:
    """uvicorn's default logging configuration plus :class:`DropQueryString` on the access
    logger and its handler."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["drop_query"] = {"()": DropQueryString}
    config["handlers"]["access"].setdefault("filters", []).append("drop_query")
    config["loggers"]["uvicorn.access"].setdefault("filters", []).append("drop_query")
    return config
