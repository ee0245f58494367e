"""The error contract: every error survives the trip through JSON (the queue, a job row) with
every field, and declares whether another attempt may succeed."""

from __future__ import annotations

import inspect
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from seesay import errors
from seesay.errors import (
    EngineError,
    InsufficientCredits,
    InvalidRequest,
    RateLimited,
    SeeSayError,
    UpstreamError,
)
from seesay.jobs.handlers import error_to_dict, is_permanent

TREE = sorted(
    (c for c in vars(errors).values() if isinstance(c, type) and issubclass(c, SeeSayError)),
    key=lambda c: c.__name__,
)

json_scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=20)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=8,
)
small_ints = st.integers(min_value=0, max_value=10**9)
statuses = st.none() | st.integers(min_value=100, max_value=599)
EXTRA_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "needed": small_ints,
    "available": small_ints,
    "retry_after": st.integers(min_value=0, max_value=86_400),
    "limit": small_ints,
    "remaining": small_ints,
    "reset": small_ints,
    "upstream_status": statuses,
}


def fields(err: SeeSayError) -> dict[str, Any]:
    """What a caller can read off an error."""
    return {
        "class": type(err),
        "str": str(err),
        "code": err.code,
        "status": err.status,
        "message": err.message,
        "param": err.param,
        "details": err.details,
        "retryable": err.retryable,
        **{name: getattr(err, name) for name in type(err).extras},
    }


@st.composite
def any_error(draw: st.DrawFn) -> SeeSayError:
    cls = draw(st.sampled_from(TREE))
    message = draw(st.text(max_size=40))
    kwargs = {name: draw(EXTRA_VALUES[name]) for name in cls.extras}
    if cls is UpstreamError:  # a provider may send no Retry-After
        kwargs["retry_after"] = draw(st.none() | EXTRA_VALUES["retry_after"])
    err = cls(message, **kwargs) if cls.extras else cls(message)
    err.param = draw(st.none() | st.text(max_size=20))
    err.details.update(draw(st.dictionaries(st.text(max_size=8), json_values, max_size=4)))
    if draw(st.booleans()):  # surfaces and services set these per instance
        err.code = draw(st.text(min_size=1, max_size=20))
        err.status = draw(st.integers(min_value=400, max_value=599))
    return err


@given(any_error())
def test_every_error_round_trips_through_json_with_every_field(err: SeeSayError) -> None:
    carried = json.loads(json.dumps(err.to_dict()))
    rebuilt = SeeSayError.from_dict(carried)
    assert fields(rebuilt) == fields(err)
    assert rebuilt.to_dict() == err.to_dict()


def test_the_property_covers_every_class_and_constructor_keyword() -> None:
    assert {c.__name__ for c in TREE} == set(errors.__all__)
    for cls in TREE:
        keywords = {
            name
            for name, p in inspect.signature(cls).parameters.items()
            if p.kind is p.KEYWORD_ONLY
        }
        declared = set(cls.extras) if cls.extras else {"param", "details"}
        assert keywords == declared, cls.__name__
        assert set(cls.extras) <= set(EXTRA_VALUES), cls.__name__


def test_upstream_status_and_retry_after_survive_the_trip() -> None:
    err = UpstreamError("provider failed (HTTP 429)", upstream_status=429, retry_after=7)
    rebuilt = SeeSayError.from_dict(err.to_dict())
    assert isinstance(rebuilt, UpstreamError)
    assert (rebuilt.upstream_status, rebuilt.retry_after) == (429, 7)


def test_a_subclass_outside_the_tree_travels_as_its_nearest_ancestor() -> None:
    class SurfaceOnly(InvalidRequest):
        code = "surface_only"
        status = 422

    rebuilt = SeeSayError.from_dict(SurfaceOnly("bad field", param="x").to_dict())
    assert type(rebuilt) is InvalidRequest
    assert (rebuilt.code, rebuilt.status, rebuilt.param) == ("surface_only", 422, "x")


def test_rows_stored_before_the_contract_still_rebuild() -> None:
    """Job rows written by the earlier format: no status, extras only inside details."""
    credits = SeeSayError.from_dict(
        {
            "type": "InsufficientCredits",
            "code": "quota_exceeded",
            "message": "need more",
            "param": None,
            "details": {"needed": 5000, "available": 1000},
        }
    )
    assert isinstance(credits, InsufficientCredits)
    assert (credits.needed, credits.available, credits.status) == (5000, 1000, 402)
    limited = SeeSayError.from_dict(
        {"type": "RateLimited", "message": "slow down", "details": {"retry_after": 9}}
    )
    assert isinstance(limited, RateLimited)
    assert limited.retry_after == 9
    assert SeeSayError.from_dict(error_to_dict(ValueError("boom"))).message == "internal error"


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"type": "NoSuchError", "message": "x"},
        {"type": "InsufficientCredits", "message": "x", "needed": "lots", "available": 1},
        {"type": "RateLimited", "message": "x", "retry_after": "soon"},
    ],
)
def test_whatever_arrives_the_caller_gets_an_error(data: dict[str, Any]) -> None:
    assert isinstance(SeeSayError.from_dict(data), SeeSayError)


def test_unknown_classes_become_engine_errors_with_their_message() -> None:
    rebuilt = SeeSayError.from_dict({"type": "os.system", "message": "no", "param": "p"})
    assert type(rebuilt) is EngineError
    assert (rebuilt.message, rebuilt.param) == ("no", "p")


@pytest.mark.parametrize(
    ("err", "retryable"),
    [
        (InvalidRequest("bad"), False),
        (errors.InvalidImage("bad"), False),
        (errors.PayloadTooLarge("big"), False),
        (errors.AuthenticationFailed("who"), False),
        (errors.PlanRequired("pay"), False),
        (errors.NotFound("gone"), False),
        (errors.IdempotencyInProgress("busy"), False),
        (errors.IdempotencyMismatch("other body"), False),
        (InsufficientCredits("poor", needed=2, available=1), False),
        (errors.ContentRejected("no"), False),
        (RateLimited("slow", retry_after=3, limit=10), True),
        (errors.ConcurrencyLimited("busy", retry_after=1, limit=2), True),
        (EngineError("crashed"), True),
        (errors.EngineUnavailable("loading"), True),
        (errors.EngineTimeout("slow"), True),
        (errors.ServiceUnavailable("db down"), True),
        (SeeSayError("unexpected"), True),
        (UpstreamError("unreachable"), True),
        (UpstreamError("HTTP 503", upstream_status=503), True),
        (UpstreamError("HTTP 429", upstream_status=429, retry_after=5), True),
        (UpstreamError("HTTP 408", upstream_status=408), True),
        (UpstreamError("HTTP 400", upstream_status=400), False),
        (UpstreamError("HTTP 401", upstream_status=401), False),
    ],
    ids=lambda v: v if isinstance(v, bool) else f"{type(v).__name__}-{v.message}",
)
def test_each_error_says_whether_a_job_may_retry_it(err: SeeSayError, retryable: bool) -> None:
    assert err.retryable is retryable
    assert is_permanent(err) is not retryable
    # Not the HTTP status: a chat upstream's 429 keeps its caller-facing status hint.
    err.status = 400 if retryable else 503
    assert is_permanent(err) is not retryable
    assert SeeSayError.from_dict(err.to_dict()).retryable is retryable


def test_an_unexpected_exception_is_retried() -> None:
    assert not is_permanent(ValueError("flaky"))
