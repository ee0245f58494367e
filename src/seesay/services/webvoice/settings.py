"""Settings of the WebVoice-compatible surface and of outgoing mail.

Environment examples: ``SEESAY_SMTP__HOST=smtp.example.com``, ``SEESAY_SMTP__PORT=587``,
``SEESAY_SMTP__USERNAME=...``, ``SEESAY_SMTP__PASSWORD=...``, ``SEESAY_SMTP__FROM_ADDRESS=
seesay@example.com``, ``SEESAY_SMTP__SECURITY=starttls``;
``SEESAY_WEBVOICE__WELCOME_CREDITS=20``;
``SEESAY_WEBVOICE__MEDIA__IMAGE__BASE_URL=https://media.example.com/api/v1`` (and ``__API_KEY``)
for each of ``image``, ``image_to_image``, ``image_to_video``, ``text_to_video``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, SecretStr

from seesay.engines.upstream import RemoteSettings

__all__ = ["MediaProviderSettings", "MediaSettings", "SmtpSettings", "WebVoiceSettings"]


class SmtpSettings(BaseModel):
    """The SMTP server SeeSay sends sign-in codes and ``send-email`` mails through."""

    host: str | None = Field(None, description="SMTP server; unset: sending mail answers 503.")
    port: int = Field(587, gt=0, lt=65536, description="SMTP port (465 with ssl).")
    username: str | None = Field(None, description="Login; unset: no authentication.")
    password: SecretStr | None = Field(None, description="Password of the login.")
    from_address: str = Field("seesay@localhost", description="The From: of every mail sent.")
    security: Literal["none", "starttls", "ssl"] = Field(
        "starttls", description="starttls upgrades a plain connection; ssl is SMTPS (port 465)."
    )
    timeout: float = Field(20.0, gt=0, description="Seconds for one SMTP exchange.")


class MediaProviderSettings(RemoteSettings):
    """An upstream that speaks the WebVoice media API (the same JSON body and answer) at
    ``{base_url}/<endpoint>/``; SeeSay forwards the caller's request with this key."""

    timeout: float = Field(300.0, gt=0, description="Video generation takes minutes.")
    retries: int = Field(0, ge=0, le=10, description="Generation is costly: no blind retries.")


class MediaSettings(BaseModel):
    image: MediaProviderSettings | None = Field(None, description="Upstream of image/.")
    image_to_image: MediaProviderSettings | None = Field(
        None, description="Upstream of image-to-image/."
    )
    image_to_video: MediaProviderSettings | None = Field(
        None, description="Upstream of image-to-video/."
    )
    text_to_video: MediaProviderSettings | None = Field(
        None, description="Upstream of text-to-video/."
    )


class WebVoiceSettings(BaseModel):
    welcome_credits: float = Field(
        20.0, ge=0, description="Credits granted to an account created by email sign-in."
    )
    code_ttl_seconds: int = Field(600, gt=0, description="How long a sign-in code is valid.")
    code_max_attempts: int = Field(5, gt=0, description="Wrong guesses before a code dies.")
    send_code_per_ip: int = Field(5, gt=0, description="send-code requests per IP per window.")
    verify_code_per_ip: int = Field(20, gt=0, description="verify-code per IP per window.")
    auth_window_seconds: int = Field(900, gt=0, description="The per-IP window (15 minutes).")
    emails_per_hour: int = Field(10, gt=0, description="send-email mails per account per hour.")
    default_subject: str = Field(
        "Message from WebVoice API", max_length=200, description="Subject of send-email/ mails."
    )
    stt_providers: dict[str, str] = Field(
        default_factory=lambda: {
            "whisper_small": "whisper",
            "whisper_max_local": "whisper",
            "whisper_fast": "openai-stt",
            "whisper_groq": "openai-stt",
        },
        description="The spec's stt `provider` names -> configured stt engine names.",
    )
    media: MediaSettings = Field(default_factory=MediaSettings)
