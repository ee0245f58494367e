"""Untyped job kinds and calls for tests of the queue machinery itself: any JSON in and out."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pydantic import ConfigDict

from seesay.jobs import JobContext
from seesay.jobs.contracts import Call, Contract, JobKind, JobOutcome
from seesay.jobs.service import InferenceExecutor


class AnyJson(Contract):
    """Any JSON object, its keys kept as they are."""

    model_config = ConfigDict(extra="allow")


def anything(data: Mapping[str, Any] | None = None) -> AnyJson:
    return AnyJson.model_validate(dict(data or {}))


def kind(name: str) -> JobKind[AnyJson]:
    return JobKind(name, AnyJson)


def call(name: str) -> Call[AnyJson, AnyJson]:
    return Call(name, AnyJson, AnyJson)


def json_job(
    handler: Callable[[JobContext, dict[str, Any]], Mapping[str, Any]],
) -> Callable[[JobContext, AnyJson], JobOutcome]:
    """A job handler on plain dictionaries, as the registry takes it."""
    return lambda ctx, spec: JobOutcome(anything(handler(ctx, spec.model_dump())))


def json_call(
    handler: Callable[[dict[str, Any]], Mapping[str, Any]],
) -> Callable[[AnyJson], AnyJson]:
    return lambda spec: anything(handler(spec.model_dump()))


def run_json(executor: InferenceExecutor, name: str, payload: Mapping[str, Any]) -> dict[str, Any]:
    """Run the call ``name`` through ``executor`` on plain dictionaries."""
    return executor.call(call(name), anything(payload)).model_dump()
