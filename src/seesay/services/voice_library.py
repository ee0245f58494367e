"""The voices a caller can speak in: their own clones and the catalogue's voices, read.

A clone is read through the account-private ``VoiceRepository`` (another account's clone is
``NotFound`` like one that never existed); a catalogue voice is offered only when it can be
loaded, dated at the Unix epoch (``SYSTEM_VOICE_DATE``) and counted by its finished speech
jobs. A clone still PROCESSING whose job has failed or was cancelled reads as FAILED: the job
runner records job failures, so the voice catches up when it is read.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from seesay.accounts.service import Principal
from seesay.errors import InvalidRequest, NotFound
from seesay.jobs.service import JobService
from seesay.services.clone_voices import SYSTEM_VOICE_DATE, VoiceRepository, VoiceView
from seesay.services.speech import SpeechService

__all__ = ["VoiceLibrary", "VoicePage"]

SORT_KEYS = ("createdAt", "updatedAt", "title", "duration", "popularity")


@dataclass(frozen=True, slots=True)
class VoicePage:
    voices: list[VoiceView]
    total: int


class VoiceLibrary:
    """Reads of the caller's clones and of the catalogue voices, as the surfaces show them."""

    def __init__(self, repo: VoiceRepository, jobs: JobService, speech: SpeechService) -> None:
        self.repo = repo
        self._jobs = jobs
        self._speech = speech

    def voice(self, principal: Principal, voice_id: str) -> VoiceView:
        """The caller's clone or a catalogue voice; ``NotFound`` otherwise."""
        system = self.system_voice(voice_id)
        if system is not None:
            return system
        return self._reconciled(
            principal, self.repo.get(principal.account_id, principal.mode, voice_id)
        )

    def clones(self, principal: Principal) -> list[VoiceView]:
        return [
            self._reconciled(principal, v)
            for v in self.repo.for_account(principal.account_id, principal.mode)
        ]

    def list_voices(
        self,
        principal: Principal,
        *,
        page: int = 1,
        limit: int = 20,
        status: str | None = None,
        type_: str | None = None,
        sort_by: str = "createdAt",
        sort_order: str = "desc",
    ) -> VoicePage:
        """The caller's clones and the catalogue's voices, filtered, sorted and paged."""
        if sort_by not in SORT_KEYS:
            raise InvalidRequest(f"sortBy must be one of {', '.join(SORT_KEYS)}", param="sortBy")
        voices: list[VoiceView] = []
        if type_ in (None, "USER"):
            voices += self.clones(principal)
        if type_ in (None, "SYSTEM"):
            voices += self.system_voices()
        if status:
            voices = [v for v in voices if v.status == status]

        def key(v: VoiceView) -> Any:
            return {
                "createdAt": v.created_at,
                "updatedAt": v.updated_at,
                "title": v.title.lower(),
                "duration": v.duration,
                "popularity": v.popularity,
            }[sort_by]

        voices.sort(key=key, reverse=sort_order == "desc")
        start = (page - 1) * limit
        return VoicePage(voices[start : start + limit], len(voices))

    def system_voices(self) -> list[VoiceView]:
        """The catalogue voices that can speak (one that cannot be loaded is not offered)."""
        catalogue = self._speech.catalogue.available_voices()
        uses = self.repo.use_counts([v.id for v in catalogue])
        return [self._system_view(v.id, uses.get(v.id, 0)) for v in catalogue]

    def system_voice(self, voice_id: str) -> VoiceView | None:
        """The catalogue voice ``voice_id``, or None when the catalogue has no such voice."""
        if self._speech.catalogue.voice(voice_id) is None:
            return None
        return self._system_view(voice_id, self.repo.use_counts([voice_id]).get(voice_id, 0))

    def _system_view(self, voice_id: str, uses: int) -> VoiceView:
        v = self._speech.catalogue.voice(voice_id)
        assert v is not None
        return VoiceView(
            id=v.id,
            type="SYSTEM",
            title=v.name,
            description=v.description,
            status="COMPLETED",
            engine=v.engine,
            duration=0.0,
            usage_count=uses,
            created_at=SYSTEM_VOICE_DATE,
            updated_at=SYSTEM_VOICE_DATE,
            tags=tuple(t for t in (v.language, v.gender) if t),
            is_public=True,
            language=v.language,
            gender=v.gender,
            method="a bundled text-to-speech voice",
        )

    def _reconciled(self, principal: Principal, view: VoiceView) -> VoiceView:
        """A PROCESSING clone whose job failed or was cancelled is FAILED (the job runner,
        not this service, records job failures, so the voice catches up when read)."""
        if view.status != "PROCESSING" or not view.job_id:
            return view
        try:
            job = self._jobs.get(principal, view.job_id)
        except NotFound:
            return view
        if job.status in ("failed", "cancelled"):
            error = job.error or {"code": job.status, "message": f"the clone job was {job.status}"}
            self.repo.fail(view.id, error)
            return replace(view, status="FAILED", error=error)
        return view
