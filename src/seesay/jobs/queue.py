"""The durable queue: Huey, with its SQLite backend embedded and its Redis backend distributed.

Only job ids and small JSON payloads travel through the queue; job state lives in the
database (``seesay.jobs.store``), so a lost queue message can be re-sent by the reaper.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from huey import Huey, RedisHuey, SqliteHuey
from huey.consumer import Consumer

__all__ = ["EmbeddedConsumer", "open_queue"]


def open_queue(url: str, *, name: str = "seesay") -> Huey:
    """``sqlite:///path/queue.db`` or ``redis://host:port/db``."""
    if url.startswith(("redis://", "rediss://")):
        return RedisHuey(name, url=url, blocking=True, read_timeout=1)
    if url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///") - 1 :] if url.startswith("sqlite:////") else url[10:])
        path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteHuey(name, filename=str(path), timeout=30)
    raise ValueError(f"unsupported queue URL {url!r}: use sqlite:///... or redis://...")


class EmbeddedConsumer(Consumer):  # type: ignore[misc]
    """A Huey consumer of worker threads inside another program (the API server).

    It never installs signal handlers: the host program (uvicorn) owns those.
    """

    def __init__(self, huey: Huey, workers: int, **kwargs: Any) -> None:
        kwargs.setdefault("initial_delay", 0.05)
        kwargs.setdefault("backoff", 1.3)
        kwargs.setdefault("max_delay", 0.5)
        super().__init__(huey, workers=workers, worker_type="thread", periodic=False, **kwargs)
        self._logger.setLevel(logging.WARNING)

    def _set_signal_handlers(self) -> None:
        return None
