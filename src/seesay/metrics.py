"""Prometheus metrics, one registry per application (no global state).

HTTP metrics are labelled by route template, not raw path, so ids never explode the label
space. Engine metrics are labelled by task and engine name (a fixed, configured set). Queue
depth is read at scrape time. ``deploy/grafana/seesay.json`` charts these.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

__all__ = ["Metrics"]


class _QueueDepth(Collector):
    def __init__(self, read: Callable[[], int]) -> None:
        self._read = read

    def collect(self) -> Iterator[Metric]:
        family = GaugeMetricFamily("seesay_queue_depth", "Jobs queued and not yet running.")
        try:
            family.add_metric([], float(self._read()))
        except Exception:
            return
        yield family


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "seesay_http_requests_total",
            "HTTP requests by method, route and status.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "seesay_http_request_duration_seconds",
            "HTTP request latency by route.",
            ["method", "route"],
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
            registry=self.registry,
        )
        self.engine_latency = Histogram(
            "seesay_engine_duration_seconds",
            "Time an engine was held for one piece of work (model loading excluded).",
            ["task", "engine"],
            buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120),
            registry=self.registry,
        )
        self.engine_loads = Histogram(
            "seesay_engine_load_seconds",
            "Time taken to load an engine's model.",
            ["task", "engine"],
            buckets=(0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300),
            registry=self.registry,
        )
        self.credits_spent = Counter(
            "seesay_credits_spent_total",
            "Credits settled, by feature and mode.",
            ["feature", "mode"],
            registry=self.registry,
        )

    def watch_queue(self, read_depth: Callable[[], int]) -> None:
        self.registry.register(_QueueDepth(read_depth))

    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(method, route).observe(seconds)

    def engine_used(self, task: str, engine: str, seconds: float) -> None:
        self.engine_latency.labels(task, engine).observe(seconds)

    def engine_loaded(self, task: str, engine: str, seconds: float) -> None:
        self.engine_loads.labels(task, engine).observe(seconds)

    def spent(self, feature: str, mode: str, millicredits: int) -> None:
        if millicredits > 0:
            self.credits_spent.labels(feature, mode).inc(millicredits / 1000)

    def render(self) -> bytes:
        return generate_latest(self.registry)
