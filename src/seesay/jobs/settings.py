"""The jobs package's settings: the queue's retries and leases (``SEESAY_JOBS__*``) and the
synchronous calls' deadlines by feature (``SEESAY_DEADLINES__*``).

:mod:`seesay.settings` composes them into ``Settings.jobs`` and ``Settings.deadlines``.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

__all__ = ["DeadlineSettings", "JobsSettings"]


class JobsSettings(BaseModel):
    worker_threads: int = Field(2, ge=0, description="Embedded consumer threads (0: none).")
    max_attempts: int = Field(3, ge=1, description="Tries before a job fails and is refunded.")
    retry_delay_seconds: float = Field(2.0, ge=0, description="First retry delay; doubles.")
    lease_seconds: float = Field(30.0, gt=0, description="A running job's heartbeat lease.")
    deadline_seconds: float = Field(
        3600.0,
        gt=0,
        description="How long one attempt of an asynchronous job may run; past it the engine "
        "stops at its next deadline check and the job fails, refunded, without a retry.",
    )
    sync_timeout_seconds: float = Field(
        120.0, gt=0, description="How long an API process waits for a queued inference."
    )
    webhook_timeout_seconds: float = Field(
        10.0, gt=0, description="Seconds one webhook delivery may take."
    )
    webhook_max_attempts: int = Field(
        5, ge=1, description="Deliveries of one webhook before it is given up."
    )


class DeadlineSettings(BaseModel):
    """Seconds a synchronous inference call may run, by feature (the registered call's name
    before the dot: ``transcribe.run`` -> ``transcribe``). Past it the request answers its
    surface's timeout error, is refunded and frees its slot; the engine stops at its next
    check. Environment: ``SEESAY_DEADLINES__TRANSCRIBE=45``."""

    describe: float = Field(
        60.0, gt=0, description="Describing an image (native, Image Describer)."
    )
    img2voice: float = Field(
        30.0,
        gt=0,
        description="Describe and speak on the img2voice surface, whose spec's client examples "
        "wait 15 s; a cold model load on a small CPU needs more, hence 30.",
    )
    speech: float = Field(60.0, gt=0, description="Text to speech.")
    transcribe: float = Field(30.0, gt=0, description="Speech to text, plus the allowance below.")
    transcribe_per_audio_second: float = Field(
        0.5, ge=0, description="Added to ``transcribe`` per second of decoded audio."
    )
    translate: float = Field(30.0, gt=0, description="Text translation.")
    clone: float = Field(120.0, gt=0, description="Voice cloning: analysis and cloned speech.")
    sound: float = Field(60.0, gt=0, description="Sound effects.")
    music: float = Field(120.0, gt=0, description="Music.")
    chat: float = Field(60.0, gt=0, description="The chat bridge's local vision model.")
    inline_threads: int = Field(
        32,
        ge=1,
        description="Threads that run inference in the API process (embedded mode); a call "
        "waits for one within its own deadline.",
    )

    def seconds_for(self, call: str, *, audio_seconds: float = 0.0) -> float | None:
        """The deadline of the registered call ``call``, or None for an unknown feature."""
        feature = call.split(".", 1)[0]
        if feature not in _DEADLINE_FEATURES:
            return None
        seconds = float(getattr(self, feature))
        if feature == "transcribe":
            seconds += self.transcribe_per_audio_second * max(0.0, audio_seconds)
        return seconds


_DEADLINE_FEATURES = frozenset(
    {
        "describe",
        "img2voice",
        "speech",
        "transcribe",
        "translate",
        "clone",
        "sound",
        "music",
        "chat",
    }
)
