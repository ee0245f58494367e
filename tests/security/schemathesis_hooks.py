"""schemathesis hooks (loaded through ``SCHEMATHESIS_HOOKS``): every request authenticates
with a valid key, taken in turn from ``SEESAY_FUZZ_KEYS`` (one account each, so the run stays
under every plan's per-minute limit and reaches the handlers instead of 429)."""

from __future__ import annotations

import itertools
import os
import threading
from typing import Any

import schemathesis

_keys = itertools.cycle(os.environ["SEESAY_FUZZ_KEYS"].split(","))
_lock = threading.Lock()


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
    with _lock:
        key = next(_keys)
    headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
    case.headers = {**headers, "Authorization": f"Bearer {key}"}
