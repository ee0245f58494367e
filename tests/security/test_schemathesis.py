"""schemathesis against ``/openapi.json`` of a live ``seesay serve``: every operation of every
surface, bounded in time; no 5xx, and every response matches its declared schema.

The server runs under the outbound trap (``security.outbound``): whatever the generated input
says, nothing leaves the machine. A name lookup that a URL field provokes is refused by the trap
(and recorded), so the fetch guard answers it as an unresolvable host.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from security.api_fuzz import EXCLUDED_OPERATIONS, fuzz_api
from security.outbound import describe_attempts

pytestmark = pytest.mark.slow

SECONDS = 150


def test_every_operation_answers_without_5xx_and_as_its_schema_says(tmp_path: Path) -> None:
    result = fuzz_api(tmp_path, seconds=SECONDS)
    tail = result.output[-12000:]
    print(result.output[-6000:])
    assert result.failed_operations == [], tail
    assert result.selected > 0, tail
    assert result.tested == result.selected, tail  # every selected operation was exercised
    assert result.total - result.selected == EXCLUDED_OPERATIONS, tail
    assert result.generated > 500, tail
    # Nothing left the machine: no connection off loopback, nothing through the proxy, no socket
    # with an outside peer. Name lookups of hosts typed into URL fields are the only attempts
    # allowed, and the trap refused them before any query was sent.
    assert result.proxied == []
    assert result.native == set()
    leaving = [a for a in result.attempts if a["kind"] != "getaddrinfo"]
    assert leaving == [], describe_attempts(leaving)
