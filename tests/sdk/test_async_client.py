"""``seesay_sdk.AsyncClient`` through httpx's ASGI transport on the in-process app: the platform
methods (account, catalogue, speech now and as a job, jobs, keys, files) and typed errors."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

import seesay_sdk
from seesay.platform import Platform
from seesay_sdk import errors
from seesay_sdk.types import Job
from support.accounts import make_key

BASE = "http://testserver"


@pytest.fixture(scope="module")
def consuming(sdk_platform: Platform) -> Platform:
    # The ASGI transport runs no lifespan, so the job consumers are started here.
    sdk_platform.start(consume=True)
    return sdk_platform


@pytest.fixture
async def http(sdk_app: FastAPI, consuming: Platform) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=sdk_app), timeout=120) as c:
        yield c


@pytest.fixture
async def client(
    http: httpx.AsyncClient, consuming: Platform
) -> AsyncIterator[seesay_sdk.AsyncClient]:
    key = make_key(consuming, plan="paid", credits=100).key
    async with seesay_sdk.AsyncClient(base_url=BASE, api_key=key, http_client=http) as c:
        yield c


@pytest.mark.anyio
async def test_account_catalogue_and_keys(
    client: seesay_sdk.AsyncClient, http: httpx.AsyncClient
) -> None:
    account = await client.account()
    assert account.plan.name == "paid"
    assert account.balances.credits == 100
    assert await client.voices(language="en", gender="female")
    assert any(e.task == "vision" for e in await client.engines())

    created = await client.keys.create(name="async")
    assert created.key.startswith("seesay_live_")
    assert created.id in {k.id for k in await client.keys.list()}
    assert (await client.keys.revoke(created.id)).revoked_at is not None
    async with seesay_sdk.AsyncClient(base_url=BASE, api_key=created.key, http_client=http) as gone:
        with pytest.raises(errors.AuthenticationError):
            await gone.account()


@pytest.mark.anyio
async def test_speech_now_and_as_a_job(client: seesay_sdk.AsyncClient) -> None:
    speech = await client.speech("Async hello.", voice="leo", format="wav")
    audio = await client.files.download(speech.audio_url)
    assert audio[:4] == b"RIFF"
    stream = await client.files.stream(speech.audio_url)
    async with stream:
        assert await stream.read() == audio

    job = await client.speech("Async job.", wait=False)
    assert isinstance(job, Job)
    assert (await client.jobs.get(job.id)).id == job.id
    done = await client.jobs.wait(job.id, timeout=120)
    assert done.status == "succeeded"
    assert done.audio_url
    assert (await client.jobs.cancel(job.id)).status == "succeeded"


@pytest.mark.anyio
async def test_typed_errors(client: seesay_sdk.AsyncClient) -> None:
    with pytest.raises(errors.InvalidRequestError) as empty:
        await client.speech("   ")
    assert empty.value.param == "text"
    assert empty.value.status_code == 400
    with pytest.raises(errors.NotFoundError):
        await client.jobs.cancel("job_nope")
    job = await client.speech("A job that is not waited out, not yet. " * 6, wait=False)
    with pytest.raises(errors.JobWaitTimeout):
        await client.jobs.wait(job.id, timeout=0)
    await client.jobs.wait(job.id, timeout=120)  # no job left running at teardown
