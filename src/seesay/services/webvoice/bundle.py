"""``WebVoiceServices``: what the WebVoice surface needs beyond the shared platform."""

from __future__ import annotations

from dataclasses import dataclass

from seesay.accounts.ledger import Ledger
from seesay.accounts.service import AccountService
from seesay.db.engine import Database
from seesay.services.engine_service import ServiceParts
from seesay.services.speech import SpeechService
from seesay.services.webvoice.mail import Mailer, MailService
from seesay.services.webvoice.media import MediaForwarder
from seesay.services.webvoice.memos import VoiceMemos
from seesay.services.webvoice.settings import SmtpSettings, WebVoiceSettings
from seesay.services.webvoice.sign_in import SignInService
from seesay.services.webvoice.speech import WebVoiceSpeech
from seesay.services.webvoice.window import WindowLimiter

__all__ = ["WebVoiceServices"]


@dataclass
class WebVoiceServices:
    mailer: Mailer
    mail: MailService
    sign_in: SignInService
    memos: VoiceMemos
    tts: WebVoiceSpeech
    media: MediaForwarder
    ip_limits: WindowLimiter

    @classmethod
    def build(
        cls,
        wv: WebVoiceSettings,
        *,
        smtp: SmtpSettings,
        ratelimit_url: str,
        signing_secret: str,
        db: Database,
        accounts: AccountService,
        ledger: Ledger,
        parts: ServiceParts,
        speech: SpeechService,
    ) -> WebVoiceServices:
        mailer = Mailer(smtp)
        return cls(
            mailer=mailer,
            mail=MailService(
                db, mailer, limit=wv.emails_per_hour, default_subject=wv.default_subject
            ),
            sign_in=SignInService(
                db,
                accounts,
                ledger,
                mailer,
                wv,
                signing_secret,
            ),
            memos=VoiceMemos(db),
            tts=WebVoiceSpeech(speech, parts),
            media=MediaForwarder(wv.media, parts.metering),
            ip_limits=WindowLimiter(ratelimit_url),
        )

    def close(self) -> None:
        self.media.close()
