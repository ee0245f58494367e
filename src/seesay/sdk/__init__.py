"""The SeeSay Python SDK: typed clients of a SeeSay server's native API.

    import seesay

    with seesay.Client(base_url="http://127.0.0.1:8000", api_key="seesay_live_...") as client:
        result = client.img2voice("photo.jpg", voice="eve")
        print(result.description, result.audio_url)
        client.files.download(result.audio_url, "photo.mp3")

:class:`AsyncClient` has the same methods as coroutines. Errors are the typed exceptions of
:mod:`seesay.sdk.errors`; results are the models of :mod:`seesay.sdk.types`.
"""

from seesay.sdk._async_client import AsyncClient
from seesay.sdk._client import Client
from seesay.sdk._streaming import AsyncAudioStream, AudioStream
from seesay.sdk.errors import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    ConflictError,
    InsufficientCreditsError,
    InvalidRequestError,
    JobWaitTimeout,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    SeeSayAPIError,
    SeeSayError,
    ServerError,
)
from seesay.sdk.types import (
    Account,
    CreatedKey,
    Description,
    Engine,
    Img2Voice,
    Job,
    Key,
    Speech,
    Transcription,
    Translation,
    Voice,
)

__all__ = [
    "APIConnectionError",
    "APITimeoutError",
    "Account",
    "AsyncAudioStream",
    "AsyncClient",
    "AudioStream",
    "AuthenticationError",
    "Client",
    "ConflictError",
    "CreatedKey",
    "Description",
    "Engine",
    "Img2Voice",
    "InsufficientCreditsError",
    "InvalidRequestError",
    "Job",
    "JobWaitTimeout",
    "Key",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "SeeSayAPIError",
    "SeeSayError",
    "ServerError",
    "Speech",
    "Transcription",
    "Translation",
    "Voice",
]
