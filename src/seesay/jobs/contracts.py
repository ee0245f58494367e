"""Typed contracts of the registered calls and job kinds.

A :class:`Call` names an inference step and the pydantic models of its input and its result;
a :class:`JobKind` names a job kind and the model of its payload. The service that owns a
call is the only place that builds its input model; the queue and the job rows carry the
models' JSON (``model_dump(mode="json")``) and the handler validates it back.

Models are lenient (:class:`Contract`): keys they do not know are ignored, so job rows
written by an older release (with keys since dropped) still validate.

A job handler returns a :class:`JobOutcome`: its result, and the millicredits to settle the
job's reservation for when that is less than was held.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict

__all__ = ["Call", "Contract", "JobKind", "JobOutcome"]


class Contract(BaseModel):
    """Base of every call and job model: JSON-ready, unknown keys ignored."""

    model_config = ConfigDict(extra="ignore")


In = TypeVar("In", bound=BaseModel)
Out = TypeVar("Out", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class JobOutcome:
    """What a job handler returns. ``cost`` None settles the reservation in full."""

    result: BaseModel
    cost: int | None = None  # millicredits

    def result_json(self) -> dict[str, Any]:
        return self.result.model_dump(mode="json")


@dataclass(frozen=True, slots=True)
class Call(Generic[In, Out]):
    """A registered call: its queue name, input model and result model."""

    name: str
    takes: type[In]
    gives: type[Out]

    def serve(self, handler: Callable[[In], Out]) -> Callable[[Mapping[str, Any]], dict[str, Any]]:
        """``handler`` as the queue runs it: JSON in, JSON out."""

        def run(payload: Mapping[str, Any]) -> dict[str, Any]:
            return self.gives.model_validate(
                handler(self.takes.model_validate(payload))
            ).model_dump(mode="json")

        return run


@dataclass(frozen=True, slots=True)
class JobKind(Generic[In]):
    """A job kind and the model of its payload."""

    name: str
    takes: type[In]

    def payload(self, data: Mapping[str, Any]) -> In:
        """A stored job's payload, validated (for readers of job rows)."""
        return self.takes.model_validate(data)
