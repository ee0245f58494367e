"""Code written before the SDK became ``seesay_sdk`` keeps working: ``seesay.Client``,
``seesay.AsyncClient`` and ``seesay.sdk`` (with its ``errors`` and ``types``) are the SDK's own
objects, so an ``except`` written against either name catches the same errors."""

from __future__ import annotations

import subprocess
import sys

import seesay
import seesay_sdk
from seesay.cli.commands_common import expected_errors
from seesay_sdk import errors, types


def test_seesay_reexports_the_clients() -> None:
    assert seesay.Client is seesay_sdk.Client
    assert seesay.AsyncClient is seesay_sdk.AsyncClient


def test_seesay_sdk_imports_keep_working() -> None:
    from seesay.sdk import AsyncClient, Client, RateLimitError
    from seesay.sdk.errors import SeeSayAPIError, error_from_response
    from seesay.sdk.types import Img2Voice, Job

    assert (Client, AsyncClient) == (seesay_sdk.Client, seesay_sdk.AsyncClient)
    assert RateLimitError is errors.RateLimitError
    assert SeeSayAPIError is errors.SeeSayAPIError
    assert error_from_response is errors.error_from_response
    assert (Img2Voice, Job) == (types.Img2Voice, types.Job)
    import seesay.sdk

    assert seesay.sdk.__all__ == seesay_sdk.__all__


def test_the_cli_reports_sdk_errors_without_a_traceback() -> None:
    assert errors.SeeSayError in expected_errors()


def test_importing_seesay_does_not_load_the_sdk() -> None:
    code = "import sys, seesay; print('seesay_sdk' in sys.modules)"
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert loaded.stdout.strip() == "False"
