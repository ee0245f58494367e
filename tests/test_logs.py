"""The log formats and the secret filter, on the handler ``logging_config`` builds."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from logging.config import dictConfig
from pathlib import Path

import pytest
from pydantic import ValidationError

from seesay import logs
from seesay.settings import load_settings

KEY = "seesay_live_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0U1v"
SIGNED = "/files/abc.wav?expires=1790000000&sig=9f86d081884c7d659a2feaa0c55ad015"


@pytest.fixture
def captured(request: pytest.FixtureRequest) -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A logger writing through the configured handler (format from the test's param)."""
    fmt: logs.LogFormat = getattr(request, "param", "text")
    config = logs.logging_config("info", fmt)
    config["handlers"]["default"]["stream"] = buffer = io.StringIO()
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    dictConfig(config)
    try:
        yield logging.getLogger("seesay.test"), buffer
    finally:
        root.handlers[:], root.level = saved


def test_text_lines_carry_the_request_context_and_fields(
    captured: tuple[logging.Logger, io.StringIO],
) -> None:
    log, buffer = captured
    with logs.log_context("req_abc12345") as ctx:
        logs.bind_account("acct_1")
        logs.note_credits(1500)
        logs.event(log, "request", route="/v1/speech", status=200, credits=ctx.millicredits / 1000)
    line = buffer.getvalue().strip()
    assert line.split(" ", 3)[1:3] == ["INFO", "seesay.test"]
    assert line.endswith(
        "request request_id=req_abc12345 account_id=acct_1 route=/v1/speech status=200 credits=1.5"
    )


@pytest.mark.parametrize("captured", ["json"], indirect=True)
def test_json_lines_are_one_object_each(captured: tuple[logging.Logger, io.StringIO]) -> None:
    log, buffer = captured
    with logs.log_context("req_abc12345", "acct_1"):
        logs.event(log, "job queued", job_id="job_1", webhook=True)
    log.info("outside any request")
    first, second = (json.loads(line) for line in buffer.getvalue().splitlines())
    assert first["message"] == "job queued"
    assert (first["request_id"], first["account_id"], first["job_id"]) == (
        "req_abc12345",
        "acct_1",
        "job_1",
    )
    assert first["webhook"] is True
    assert first["level"] == "info"
    assert "request_id" not in second


@pytest.mark.parametrize("captured", ["text", "json"], indirect=True)
def test_secrets_are_masked_in_messages_fields_and_tracebacks(
    captured: tuple[logging.Logger, io.StringIO],
) -> None:
    log, buffer = captured
    secrets = [KEY, "whsec_" + "ab" * 32, "9f86d081884c7d659a2feaa0c55ad015", "s3cr3t-pw"]
    log.warning("refused %s with Bearer %s", SIGNED, KEY)
    logs.event(log, "webhook", secret=secrets[1], url=f"https://hooks.example/x?token={KEY}")
    log.info("queue on %s", "redis://worker:s3cr3t-pw@127.0.0.1:6379/0")
    try:
        raise RuntimeError(f"upstream refused key {KEY}")
    except RuntimeError:
        log.exception("failed")
    text = buffer.getvalue()
    for secret in secrets:
        assert secret not in text
    assert text.count("[redacted]") >= 6
    assert "/files/abc.wav?expires=1790000000&sig=[redacted]" in text  # the rest stays


def test_log_format_is_a_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_settings(data_dir=tmp_path).log_format == "text"
    monkeypatch.setenv("SEESAY_LOG_FORMAT", "json")
    assert load_settings(data_dir=tmp_path).log_format == "json"
    with pytest.raises(ValidationError):
        load_settings(data_dir=tmp_path, log_format="xml")
