"""The SeeSay Python SDK: typed clients of a SeeSay server's native API.

    import seesay_sdk

    with seesay_sdk.Client(base_url="http://127.0.0.1:8000", api_key="seesay_live_...") as client:
        result = client.img2voice("photo.jpg", voice="eve")
        print(result.description, result.audio_url)
        client.files.download(result.audio_url, "photo.mp3")

:class:`AsyncClient` has the same methods as coroutines. Errors are the typed exceptions of
:mod:`seesay_sdk.errors`; results are the models of :mod:`seesay_sdk.types`. Everything else
(modules starting with ``_``) is private.
"""

from seesay_sdk._async_client import AsyncClient
from seesay_sdk._client import Client
from seesay_sdk._streaming import AsyncAudioStream, AudioStream
from seesay_sdk._version import __version__
from seesay_sdk.errors import (
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
from seesay_sdk.types import (
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
    "__version__",
]
