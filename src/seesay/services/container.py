"""The platform: every long-lived service of one SeeSay process, built from settings.

``Platform.build(settings)`` is the one place that turns configuration into objects; the API
(``create_app``), ``seesay worker`` and the CLI all start from it. ``start`` launches the
embedded queue consumers (when this process consumes jobs) and ``close`` releases
everything.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta

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
from seesay.services.clone_voices import VoiceRepository
from seesay.services.describe import DescribeService
from seesay.services.img2voice import Img2VoiceService
from seesay.services.maintenance import Maintenance
from seesay.services.metering import Metering
from seesay.services.sound import SoundService
from seesay.services.speech import SpeechService
from seesay.services.speech_stream import SpeechStreamer
from seesay.services.transcribe import TranscribeService
from seesay.services.translate import TranslateService
from seesay.services.vimmerse import VimmerseService
from seesay.services.webvoice.bundle import WebVoiceServices
from seesay.settings import Settings
from seesay.storage import BlobStore, UrlSigner, open_blob_store

__all__ = ["Platform"]

log = logging.getLogger(__name__)


@dataclass
class Platform:
    settings: Settings
    db: Database
    ledger: Ledger
    accounts: AccountService
    prices: PriceTable
    metering: Metering
    idempotency: IdempotencyStore
    rate_limiter: RateLimiter
    concurrency: ConcurrencyLimiter
    storage: BlobStore
    signer: UrlSigner
    queue: Huey
    handlers: Handlers
    runtime: JobRuntime
    job_presenter: JobPresenter
    jobs: JobService
    executor: InferenceExecutor
    engines: EngineRegistry
    metrics: Metrics
    fetcher: Fetcher
    speech: SpeechService
    maintenance: Maintenance
    transcription: TranscribeService
    translation: TranslateService
    chat: ChatBridge
    speech_stream: SpeechStreamer
    describer: DescribeService
    img2voice: Img2VoiceService
    webvoice: WebVoiceServices
    cloning: CloneService
    sounds: SoundService
    vimmerse: VimmerseService
    _started: bool = field(default=False, repr=False)

    @classmethod
    def build(cls, settings: Settings, *, migrate: bool = True) -> Platform:
        """Construct every service. ``settings`` must be ``resolved()``."""
        if not (
            settings.database_url
            and settings.queue_url
            and settings.storage_url
            and settings.ratelimit_url
        ):
            raise ValueError("settings must be resolved (use load_settings)")
        db = Database.connect(settings.database_url)
        if migrate:
            upgrade(db)
        ledger = Ledger(db)
        metrics = Metrics()
        prices = PriceTable(settings.prices)
        secrets = [s.get_secret_value() for s in settings.signing_secrets]
        rate_limiter, concurrency = open_limiters(
            settings.ratelimit_url, lease_seconds=settings.limits.concurrency_lease_seconds
        )
        queue = open_queue(settings.queue_url)
        handlers = Handlers()
        store = JobStore(db)
        fetcher = Fetcher.from_settings(settings.fetch)
        webhooks = WebhookSender(
            lambda account_id, mode: webhook_secret(secrets[0], account_id, mode),
            fetcher,
            timeout=settings.jobs.webhook_timeout_seconds,
        )
        signer = UrlSigner(secrets, default_ttl_seconds=settings.signed_url_ttl_seconds)
        presenter = JobPresenter(signer, settings.public_origin())
        runtime = JobRuntime(
            queue, store, ledger, handlers, settings.jobs, webhooks, present=presenter.event
        )
        metrics.watch_queue(store.queued_count)
        engines = build_registry(
            settings.engines, EngineContext(cache_dir=settings.data_dir / "models")
        )
        metering = Metering(ledger, prices, metrics)
        idempotency = IdempotencyStore(db)
        storage = open_blob_store(settings.storage_url)
        jobs = JobService(
            store,
            ledger,
            runtime,
            max_attempts=settings.jobs.max_attempts,
            check_webhook=lambda url: fetcher.guard.check_url(url, param="webhook_url"),
        )
        executor = InferenceExecutor(
            handlers,
            runtime,
            inline=settings.runs_inference_inline,
            timeout=settings.jobs.sync_timeout_seconds,
            deadlines=settings.deadlines,
        )
        speech = SpeechService(
            engines, storage, signer, metering, executor, jobs, AccountLanguages(db)
        )
        speech.register(handlers)
        transcription = TranscribeService(
            engines, storage, metering, executor, settings.engines.stt
        )
        transcription.register(handlers)
        translation = TranslateService(engines, metering, executor)
        translation.register(handlers)
        vision_chat = LocalVisionChat(engines, storage, metering, executor, fetcher)
        vision_chat.register(handlers)
        chat = ChatBridge(
            ProviderTable(settings.providers),
            metering,
            FreeModelLimiter(
                settings.ratelimit_url, settings.chat, has_purchased=purchase_check(db)
            ),
            vision_chat,
            spend_cap=KeySpendCap(settings.ratelimit_url, settings.chat.key_daily_spend_cap),
        )
        speech_stream = SpeechStreamer(speech, engines, storage, metering, executor)
        describer = DescribeService(engines, storage, fetcher, metering, executor)
        describer.register(handlers)
        img2voice = Img2VoiceService(
            engines,
            describer,
            speech,
            storage,
            metering,
            executor,
            jobs,
            fetcher,
            voice_map=settings.img2voice.voices,
        )
        img2voice.register(handlers)
        accounts = AccountService(db, ledger, max_keys=settings.limits.max_keys_per_account)
        webvoice = WebVoiceServices.build(
            settings,
            db=db,
            accounts=accounts,
            ledger=ledger,
            metering=metering,
            speech=speech,
            executor=executor,
            storage=storage,
        )
        cloning = CloneService(
            VoiceRepository(db),
            engines,
            storage,
            metering,
            executor,
            jobs,
            speech,
            settings.voice_clone,
        )
        cloning.register(handlers)
        sounds = SoundService(engines, storage, metering, executor, jobs, settings.sounds)
        sounds.register(handlers)
        vimmerse = VimmerseService(prices, metering, speech, sounds, storage, settings.vimmerse)
        platform = cls(
            settings=settings,
            db=db,
            ledger=ledger,
            accounts=accounts,
            prices=prices,
            metering=metering,
            idempotency=idempotency,
            rate_limiter=rate_limiter,
            concurrency=concurrency,
            storage=storage,
            signer=signer,
            queue=queue,
            handlers=handlers,
            runtime=runtime,
            job_presenter=presenter,
            jobs=jobs,
            executor=executor,
            engines=engines,
            metrics=metrics,
            fetcher=fetcher,
            speech=speech,
            maintenance=Maintenance(
                idempotency,
                engines,
                ledger,
                idle_unload_seconds=settings.engines.idle_unload_seconds,
                # Well past any synchronous request's own deadline.
                abandoned_after=timedelta(
                    seconds=max(3600.0, 10 * settings.jobs.sync_timeout_seconds)
                ),
            ),
            describer=describer,
            img2voice=img2voice,
            webvoice=webvoice,
            transcription=transcription,
            translation=translation,
            chat=chat,
            speech_stream=speech_stream,
            cloning=cloning,
            sounds=sounds,
            vimmerse=vimmerse,
        )
        return platform

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
        """Stop background work and release connections; safe to call twice."""
        if getattr(self, "_closed", False):
            return
        self._closed = True
        self.maintenance.stop()
        self.runtime.stop()
        self.executor.close()
        self.fetcher.close()
        self.chat.close()
        self.webvoice.close()
        self.concurrency.close()
        self.engines.close()
        self.db.dispose()
