"""schemathesis against ``/openapi.json`` of a live ``seesay serve``: every operation of every
surface, bounded in time; no 5xx, and every response matches its declared schema.

The server runs under the outbound trap (``security.outbound``): whatever the generated input
says, nothing leaves the machine. A name lookup that a URL field provokes is refused by the trap
(and recorded), so the fetch guard answers it as an unresolvable host.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from security.outbound import describe_attempts, trapped_server

pytestmark = pytest.mark.slow

HOOKS = Path(__file__).with_name("schemathesis_hooks.py")
KEYS = 8  # each on its own paid account: 8 x 200 requests a minute
MAX_TIME_S = 150

# Operations left out, each for a reason:
EXCLUDED_PATHS = [
    # They forward to a remote provider the operator configures; unconfigured they answer the
    # spec's documented 503 "no provider", configured they would leave the machine.
    r"^/compat/webvoice/api/v1/(image|image-to-image|image-to-video|text-to-video)/$",
    # Stateful testing follows GET /v1/keys to DELETE and revokes the very keys it runs with.
    r"^/v1/keys/\{key_id\}$",
]


def run_schemathesis(base: str, keys: list[str], workdir: Path) -> tuple[str, Path]:
    junit = workdir / "junit.xml"
    args = [
        sys.executable, "-m", "schemathesis.cli", "run", f"{base}/openapi.json",
        "--checks", "not_a_server_error,response_schema_conformance",
        "--max-examples", "5",
        "--max-time", str(MAX_TIME_S),
        "--workers", "2",
        "--request-timeout", "60",
        "--suppress-health-check", "all",
        "--generation-database", ":memory:",
        "--no-color",
        "--report", "junit", "--report-junit-path", str(junit),
    ]  # fmt: skip
    args += ["--exclude-path-regex", "|".join(EXCLUDED_PATHS)]  # the flag counts once
    env = {
        **os.environ,
        "SCHEMATHESIS_HOOKS": str(HOOKS),
        "SEESAY_FUZZ_KEYS": ",".join(keys),
    }
    done = subprocess.run(
        args, cwd=workdir, env=env, capture_output=True, text=True, timeout=MAX_TIME_S + 300
    )
    return done.stdout + done.stderr, junit


def test_every_operation_answers_without_5xx_and_as_its_schema_says(tmp_path: Path) -> None:
    with trapped_server(tmp_path / "data", keys=KEYS) as server:
        output, junit = run_schemathesis(server.base, server.keys, tmp_path)
        attempts, proxied, native = server.attempts(), server.proxy.seen(), server.watcher.found
    print(output[-6000:])
    assert junit.exists(), output[-4000:]
    suite = ET.parse(junit).getroot()
    failed = [
        case.get("name")
        for case in suite.iter("testcase")
        if case.find("failure") is not None or case.find("error") is not None
    ]
    assert failed == [], output[-12000:]
    counts = re.search(r"Selected: (\d+)/(\d+)\s+Tested: (\d+)", output)
    assert counts is not None, output[-4000:]
    selected, total, tested = map(int, counts.groups())
    assert tested == selected, output[-4000:]  # every selected operation was exercised
    assert total - selected == 5, output[-4000:]  # only the five excluded above were left out
    # Nothing left the machine: no connection off loopback, nothing through the proxy, no socket
    # with an outside peer. Name
    # lookups of hosts typed into URL fields are the only attempts allowed, and the trap
    # refused them before any query was sent.
    assert proxied == []
    assert native == set()
    leaving = [a for a in attempts if a["kind"] != "getaddrinfo"]
    assert leaving == [], describe_attempts(leaving)
