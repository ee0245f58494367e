"""Per-request cost of tracing: the same requests with tracing off, on (every trace kept,
exported over OTLP/HTTP by the batch processor to a loopback collector) and on with a zero
sample ratio.

Two routes: ``GET /healthz`` (the middleware alone) and ``POST /v1/translate`` with a key
(authentication, credits, one engine call: a server span plus ``engine.call``). Requests go
through FastAPI's ``TestClient`` (in process); the three apps are served in alternating
rounds so machine noise falls on all of them alike.

Run: ``python -m bench.tracing [--requests N]``.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from seesay.api import create_app
from seesay.platform import Platform
from seesay.settings import load_settings


class _Collector(BaseHTTPRequestHandler):
    spans_posts = 0

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        type(self).spans_posts += 1
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        return


def _platform(root: Path, name: str, tracing: dict[str, Any]) -> Platform:
    return Platform.build(load_settings(data_dir=root / name, tracing=tracing))


def _stats(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1e3, ordered[int(0.95 * (len(ordered) - 1))] * 1e3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=600, help="per route and setting")
    parser.add_argument("--rounds", type=int, default=6)
    args = parser.parse_args()
    collector = ThreadingHTTPServer(("127.0.0.1", 0), _Collector)
    threading.Thread(target=collector.serve_forever, daemon=True).start()
    endpoint = f"http://127.0.0.1:{collector.server_address[1]}"
    root = Path(tempfile.mkdtemp(prefix="seesay-bench-tracing-"))
    setups = {
        "off": {"enabled": False},
        "on": {"enabled": True, "endpoint": endpoint},
        "on, ratio 0": {"enabled": True, "endpoint": endpoint, "sample_ratio": 0.0},
    }
    platforms = {name: _platform(root, name, t) for name, t in setups.items()}
    clients = {n: TestClient(create_app(p.settings, platform=p)) for n, p in platforms.items()}
    for client in clients.values():
        client.__enter__()
    # A paid plan allows 200 requests a minute per account: each key serves 150 requests.
    needed = (args.requests + 5) // 150 + 1
    keys: dict[str, list[str]] = {}
    for name, platform in platforms.items():
        keys[name] = []
        for _ in range(needed):
            account = platform.accounts.create_account("bench", plan="paid")
            platform.ledger.grant(account.id, 10_000_000, note="bench")
            keys[name].append(platform.accounts.create_key(account.id).key)
    used = dict.fromkeys(setups, 0)

    def key(name: str) -> str:
        used[name] += 1
        return keys[name][used[name] // 150]

    routes: dict[str, Callable[[TestClient, str], Any]] = {
        "GET /healthz": lambda c, _name: c.get("/healthz"),
        "POST /v1/translate": lambda c, name: c.post(
            "/v1/translate",
            json={"text": "The cat is on the table.", "source": "en", "target": "pt-BR"},
            headers={"Authorization": f"Bearer {key(name)}"},
        ),
    }
    samples: dict[tuple[str, str], list[float]] = {(r, s): [] for r in routes for s in setups}
    per_round = max(1, args.requests // args.rounds)
    for route, call in routes.items():
        for name, client in clients.items():  # warm up: engines loaded, pools filled
            for _ in range(5):
                answer = call(client, name)
                assert answer.status_code == 200, answer.text
        for _ in range(args.rounds):
            for name, client in clients.items():
                for _ in range(per_round):
                    t0 = time.perf_counter()
                    call(client, name)
                    samples[(route, name)].append(time.perf_counter() - t0)
    for client in clients.values():
        client.__exit__(None, None, None)
    for platform in platforms.values():
        platform.close()  # flushes the exporter
    collector.shutdown()
    print(f"{per_round * args.rounds} requests per row; {_Collector.spans_posts} OTLP posts")
    print(f"{'route':<22}{'tracing':<14}{'median ms':>10}{'p95 ms':>10}")
    for (route, name), values in samples.items():
        median, p95 = _stats(values)
        print(f"{route:<22}{name:<14}{median:>10.2f}{p95:>10.2f}")


if __name__ == "__main__":
    main()
