"""The composition root: every long-lived service of one SeeSay process, built from settings.

``Platform.build(settings)`` is the one place that turns configuration into objects; the API
(``create_app``), ``seesay worker`` and the CLI all start from it. It sits above the services
(which never import it) and builds in steps: the stores, the job system, the engines, then the
services over them. ``Overrides`` is the seam for tests: an engine registry, a blob store or a
fetcher built elsewhere replaces what the settings would build, and stays its maker's to
close; a ``span_exporter`` receives the spans when tracing is enabled. ``start`` launches
the embedded queue consumers (when this process consumes jobs) and ``close`` releases
everything the platform built.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import NamedTuple

from huey import Huey

from seesay.accounts.idempotency import IdempotencyStore
from seesay.accounts.ledger import Ledger
from seesay.accounts.limits import ConcurrencyLimiter, RateLimiter, open_limiters
from seesay.accounts.pricing import PriceTable
from seesay.accounts.service import AccountService
from seesay.db.engine import Database
from seesay.db.migrate import upgrade
from seesay.engines.base import EngineContext
from seesay.engines.registry import EngineRegistry, build_registry
from seesay.jobs.handlers import Handlers
from seesay.jobs.presenter import JobPresenter
from seesay.jobs.queue import open_queue
from seesay.jobs.runner import JobRuntime
from seesay.jobs.service import InferenceExecutor, JobService
from seesay.jobs.store import JobStore
from seesay.jobs.webhooks import WebhookSender, webhook_secret
from seesay.media.fetch import Fetcher
from seesay.metrics import Metrics
from seesay.services.account_language import AccountLanguages
from seesay.services.chat.limits import FreeModelLimiter, KeySpendCap, purchase_check
from seesay.services.chat.routing import ProviderTable
from seesay.services.chat.vision import LocalVisionChat
from seesay.services.chat_bridge import ChatBridge
from seesay.services.clone import CloneService
from seesay.services.clone_speech import CloneSpeechService
from seesay.services.clone_voices import VoiceRepository
from seesay.services.describe import DescribeService
from seesay.services.engine_service import ServiceParts
from seesay.services.img2voice import Img2VoiceService
from seesay.services.img2voice_batch import Img2VoiceBatches
from seesay.services.maintenance import Maintenance
from seesay.services.metering import Metering
from seesay.services.models_admin import ModelsAdmin
from seesay.services.sound import SoundService
from seesay.services.speech import SpeechService
from seesay.services.speech_stream import SpeechStreamer
from seesay.services.transcribe import TranscribeService
from seesay.services.translate import TranslateService
from seesay.services.vimmerse import VimmerseService
from seesay.services.voice_library import VoiceLibrary
from seesay.services.webvoice.bundle import WebVoiceServices
from seesay.settings import Settings
from seesay.storage import BlobStore, UrlSigner, open_blob_store
from seesay.tracing import Tracing, open_tracing

__all__ = ["Overrides", "Platform"]


@dataclass(frozen=True, slots=True)
class Overrides:
    """Parts built elsewhere that replace what the settings would build (tests' seam).

    The platform uses them as they are and does not close them: whoever made one closes it.
    """

    engines: EngineRegistry | None = None
    storage: BlobStore | None = None
    fetcher: Fetcher | None = None
    # An OpenTelemetry SpanExporter (e.g. the SDK's InMemorySpanExporter) that replaces the
    # OTLP exporter when settings.tracing.enabled; typed loosely so no import is needed.
    span_exporter: object | None = None


class _Locations(NamedTuple):
    """The resolved settings' locations, each one known to be set."""

    database_url: str
    queue_url: str
    storage_url: str
    ratelimit_url: str

    @classmethod
    def of(cls, settings: Settings) -> _Locations:
        urls = (
            settings.database_url,
            settings.queue_url,
            settings.storage_url,
            settings.ratelimit_url,
        )
        if not all(urls):
            raise ValueError("settings must be resolved (use load_settings)")
        return cls(*(str(url) for url in urls))


class Platform:
    """Every long-lived service of one process; the front ends read what they need."""

    settings: Settings
    overrides: Overrides
    metrics: Metrics
    tracing: Tracing
    prices: PriceTable
    # where state lives
    db: Database
    ledger: Ledger
    idempotency: IdempotencyStore
    accounts: AccountService
    storage: BlobStore
    signer: UrlSigner
    rate_limiter: RateLimiter
    concurrency: ConcurrencyLimiter
    fetcher: Fetcher
    # the job system
    queue: Huey
    handlers: Handlers
    runtime: JobRuntime
    job_presenter: JobPresenter
    jobs: JobService
    executor: InferenceExecutor
    # engines and the services over them
    engines: EngineRegistry
    metering: Metering
    service_parts: ServiceParts
    speech: SpeechService
    speech_stream: SpeechStreamer
    transcription: TranscribeService
    translation: TranslateService
    describer: DescribeService
    img2voice: Img2VoiceService
    img2voice_batches: Img2VoiceBatches
    voice_library: VoiceLibrary
    cloning: CloneService
    clone_speech: CloneSpeechService
    sounds: SoundService
    chat: ChatBridge
    webvoice: WebVoiceServices
    vimmerse: VimmerseService
    maintenance: Maintenance

    def __init__(
        self, settings: Settings, *, migrate: bool = True, overrides: Overrides | None = None
    ) -> None:
        """Construct every service; see :meth:`build`."""
        at = _Locations.of(settings)
        self.settings = settings
        self.overrides = overrides or Overrides()
        self.metrics = Metrics()
        self.tracing = open_tracing(settings.tracing, exporter=self.overrides.span_exporter)
        self.prices = PriceTable(settings.prices)
        self._open_stores(at, migrate=migrate)
        self._open_job_system(at.queue_url)
        self.engines = self.overrides.engines or build_registry(
            settings.engines,
            EngineContext(
                cache_dir=settings.data_dir / "models",
                models_dir=settings.models.folder(settings.data_dir),
                models=settings.models,
            ),
        )
        self.engines.report_to(self.metrics, self.tracing)
        self.metering = Metering(self.ledger, self.prices, self.metrics)
        self.service_parts = ServiceParts(self.engines, self.storage, self.metering, self.executor)
        self._build_voice_services()
        self._build_image_services()
        self._build_surface_services(at.ratelimit_url)
        self._started = False
        self._closed = False

    @classmethod
    def build(
        cls, settings: Settings, *, migrate: bool = True, overrides: Overrides | None = None
    ) -> Platform:
        """Construct every service. ``settings`` must be ``resolved()``; ``overrides``
        replaces the parts it names (see :class:`Overrides`)."""
        return cls(settings, migrate=migrate, overrides=overrides)

    def _open_stores(self, at: _Locations, *, migrate: bool) -> None:
        settings = self.settings
        self.db = Database.connect(at.database_url)
        if migrate:
            upgrade(self.db)
        self.ledger = Ledger(self.db)
        self.idempotency = IdempotencyStore(self.db)
        self.accounts = AccountService(
            self.db, self.ledger, max_keys=settings.limits.max_keys_per_account
        )
        self.storage = self.overrides.storage or open_blob_store(at.storage_url)
        secrets = [s.get_secret_value() for s in settings.signing_secrets]
        self.signer = UrlSigner(secrets, default_ttl_seconds=settings.signed_url_ttl_seconds)
        self.rate_limiter, self.concurrency = open_limiters(
            at.ratelimit_url, lease_seconds=settings.limits.concurrency_lease_seconds
        )
        self.fetcher = self.overrides.fetcher or Fetcher.from_settings(settings.fetch)

    def _open_job_system(self, queue_url: str) -> None:
        settings, fetcher = self.settings, self.fetcher
        newest_secret = settings.signing_secrets[0].get_secret_value()
        webhooks = WebhookSender(
            lambda account_id, mode: webhook_secret(newest_secret, account_id, mode),
            fetcher,
            timeout=settings.jobs.webhook_timeout_seconds,
            tracing=self.tracing,
        )
        store = JobStore(self.db)
        self.queue = open_queue(queue_url)
        self.handlers = Handlers()
        self.job_presenter = JobPresenter(self.signer, settings.public_origin())
        self.runtime = JobRuntime(
            self.queue,
            store,
            self.ledger,
            self.handlers,
            settings.jobs,
            webhooks,
            present=self.job_presenter.event,
            tracing=self.tracing,
        )
        self.metrics.watch_queue(store.queued_count)
        self.jobs = JobService(
            store,
            self.ledger,
            self.runtime,
            max_attempts=settings.jobs.max_attempts,
            check_webhook=lambda url: fetcher.guard.check_url(url, param="webhook_url"),
        )
        self.executor = InferenceExecutor(
            self.handlers,
            self.runtime,
            inline=settings.runs_inference_inline,
            timeout=settings.jobs.sync_timeout_seconds,
            deadlines=settings.deadlines,
        )

    def _build_voice_services(self) -> None:
        """Speech, transcription, translation, cloning and sounds; each registers the calls
        it runs on the queue."""
        settings, parts, jobs = self.settings, self.service_parts, self.jobs
        self.speech = SpeechService(parts, self.signer, jobs, AccountLanguages(self.db))
        self.speech_stream = SpeechStreamer(self.speech, parts)
        self.transcription = TranscribeService(parts, settings.engines.stt)
        self.translation = TranslateService(parts)
        self.voice_library = VoiceLibrary(VoiceRepository(self.db), jobs, self.speech)
        self.cloning = CloneService(self.voice_library, parts, jobs, settings.voice_clone)
        self.clone_speech = CloneSpeechService(
            self.voice_library, parts, jobs, self.speech, settings.voice_clone
        )
        self.sounds = SoundService(parts, jobs, settings.sounds)
        self.speech.register(self.handlers)
        self.transcription.register(self.handlers)
        self.translation.register(self.handlers)
        self.cloning.register(self.handlers)
        self.clone_speech.register(self.handlers)
        self.sounds.register(self.handlers)
        self.models_admin = ModelsAdmin(
            self.accounts, jobs, settings.models, settings.data_dir, self.engines
        )
        self.models_admin.register(self.handlers)

    def _build_image_services(self) -> None:
        """Describing images, and img2voice (now or batched) over describing and speech."""
        self.describer = DescribeService(self.service_parts, self.fetcher)
        self.img2voice = Img2VoiceService(
            self.service_parts,
            self.describer,
            self.speech,
            voice_map=self.settings.img2voice.voices,
        )
        self.img2voice_batches = Img2VoiceBatches(
            self.service_parts, self.img2voice, self.jobs, self.fetcher
        )
        self.describer.register(self.handlers)
        self.img2voice.register(self.handlers)
        self.img2voice_batches.register(self.handlers)

    def _build_surface_services(self, ratelimit_url: str) -> None:
        """What single surfaces add (the chat bridge, WebVoice, Vimmerse) and maintenance."""
        settings = self.settings
        vision_chat = LocalVisionChat(self.service_parts, self.fetcher)
        vision_chat.register(self.handlers)
        self.chat = ChatBridge(
            ProviderTable(settings.providers),
            self.metering,
            FreeModelLimiter(ratelimit_url, settings.chat, has_purchased=purchase_check(self.db)),
            vision_chat,
            spend_cap=KeySpendCap(ratelimit_url, settings.chat.key_daily_spend_cap),
            tracing=self.tracing,
        )
        self.webvoice = WebVoiceServices.build(
            settings.webvoice,
            smtp=settings.smtp,
            ratelimit_url=ratelimit_url,
            signing_secret=settings.signing_secrets[0].get_secret_value(),
            db=self.db,
            accounts=self.accounts,
            ledger=self.ledger,
            parts=self.service_parts,
            speech=self.speech,
        )
        self.vimmerse = VimmerseService(
            self.service_parts, self.speech, self.sounds, settings.vimmerse
        )
        self.maintenance = Maintenance(
            self.idempotency,
            self.engines,
            self.ledger,
            idle_unload_seconds=settings.engines.idle_unload_seconds,
            # Well past any synchronous request's own deadline.
            abandoned_after=timedelta(seconds=max(3600.0, 10 * settings.jobs.sync_timeout_seconds)),
        )

    def start(self, *, consume: bool) -> None:
        """Start background work: queue consumer threads (``consume``) and the reaper."""
        if self._started:
            return
        self._started = True
        if consume:
            self.runtime.start_embedded(self.settings.jobs.worker_threads)
        else:
            self.runtime.start_reaper()
        self.maintenance.start()

    def close(self) -> None:
        """Stop background work and release what the platform built; safe to call twice."""
        if self._closed:
            return
        self._closed = True
        self.maintenance.stop()
        self.runtime.stop()
        self.executor.close()
        if self.overrides.fetcher is None:
            self.fetcher.close()
        self.chat.close()
        self.webvoice.close()
        self.concurrency.close()
        if self.overrides.engines is None:
            self.engines.close()
        self.db.dispose()
        self.tracing.close()
