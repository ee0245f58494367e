"""How a stored job is shown to its owner, in ``GET /v1/jobs/{id}`` and in webhooks alike.

Handlers keep blob ids in their results, never URLs: a signed URL expires while the job record
lives on. The presenter signs them afresh each time it shows a job. A result's ``blob_id``
gains an ``audio_url``, and so does each per-item result that holds an ``audio_blob`` (batches),
in the final result and in the progress report.

A webhook is sent with no request to take an origin from, so its URLs use ``public_base_url``
(by default the server's own host and port): set it to the address subscribers can reach.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from seesay.jobs.store import JobView
from seesay.storage import UrlSigner

__all__ = ["JobPresenter", "job_event"]


def job_event(job: JobView) -> dict[str, Any]:
    """The job as stored, in its public shape, with blob ids unsigned."""
    return {
        "id": job.id,
        "object": "job",
        "kind": job.kind,
        "status": job.status,
        "result": job.result if job.status == "succeeded" else None,
        "error": _public_error(job.error) if job.status == "failed" else None,
        "progress": job.progress,
        "attempts": job.attempts,
        "created_at": _iso(job.created_at),
        "started_at": _iso(job.started_at),
        "finished_at": _iso(job.finished_at),
    }


class JobPresenter:
    """Builds job events whose audio is reachable by signed absolute URL."""

    def __init__(self, signer: UrlSigner, default_origin: str) -> None:
        self._signer = signer
        self._default_origin = default_origin.rstrip("/")

    def event(self, job: JobView, origin: str | None = None) -> dict[str, Any]:
        """``job_event(job)`` with ``audio_url`` beside every blob id, on ``origin`` (the
        origin a client used) or else the configured public one."""
        base = (origin or self._default_origin).rstrip("/")
        event = job_event(job)
        for key in ("result", "progress"):
            if isinstance(event[key], dict):
                event[key] = self._signed(event[key], base)
        return event

    def _signed(self, state: dict[str, Any], base: str) -> dict[str, Any]:
        state = dict(state)
        if isinstance(state.get("blob_id"), str):
            state["audio_url"] = self._audio_url(state["blob_id"], base)
        items = state.get("results")
        if isinstance(items, list):
            state["results"] = [
                {**item, "audio_url": self._audio_url(item["audio_blob"], base)}
                if isinstance(item, dict) and isinstance(item.get("audio_blob"), str)
                else item
                for item in items
            ]
        return state

    def _audio_url(self, blob_id: str, base: str) -> str:
        return base + self._signer.url_path(blob_id)


def _public_error(error: dict[str, Any] | None) -> dict[str, Any] | None:
    if not error:
        return None
    return {"code": error.get("code"), "message": error.get("message"), "param": error.get("param")}


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.isoformat().replace("+00:00", "Z")
