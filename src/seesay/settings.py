"""Settings, read once and passed down.

Sources, highest first: keyword overrides, ``SEESAY_*`` environment variables (nested with
``__``, e.g. ``SEESAY_ENGINES__TTS__ENGINES``), the TOML file named by ``SEESAY_CONFIG`` or
passed to ``load_settings``, then defaults. Nothing reads settings at import time: call
``load_settings()`` where the process starts and hand the object down.

Every location that is not set explicitly derives from ``data_dir`` (the embedded mode's
folder): ``resolved()`` fills them in, and generates the URL-signing secret into the data
folder on first use so no deployment ever shares a constant secret.

Each package owns the model of its own section (``jobs.settings``, ``engines.settings``,
``services.chat.settings``, ...); this module sits above them all and composes them, so no
package imports it to learn its own configuration.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from seesay.accounts.settings import LimitsSettings
from seesay.engines.settings import EnginesSettings
from seesay.jobs.settings import DeadlineSettings, JobsSettings
from seesay.media.fetch.settings import FetchSettings
from seesay.models.settings import ModelsSettings
from seesay.services.audio_settings import CloneSettings, SoundServiceSettings, VimmerseSettings
from seesay.services.chat.settings import ChatSettings, ProviderSettings
from seesay.services.img2voice_settings import Img2VoiceSettings
from seesay.services.webvoice.settings import SmtpSettings, WebVoiceSettings

__all__ = [
    "DeadlineSettings",
    "FetchSettings",
    "JobsSettings",
    "LimitsSettings",
    "Settings",
    "load_settings",
]


class Settings(BaseSettings):
    """Everything configurable. Paths left unset derive from ``data_dir``."""

    model_config = SettingsConfigDict(
        env_prefix="SEESAY_",
        env_nested_delimiter="__",
        extra="ignore",
        validate_default=True,
    )

    data_dir: Path = Field(Path("seesay-data"), description="Embedded mode's folder.")
    host: str = Field(
        "127.0.0.1", description="Address `seesay serve` listens on (0.0.0.0: every interface)."
    )
    port: int = Field(8000, description="Port `seesay serve` listens on.")
    public_base_url: str | None = Field(
        None, description="Origin used in absolute URLs (signed audio); default: request's own."
    )
    trusted_hosts: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Host names a request's Host header may use in returned URLs when "
        "public_base_url is unset (loopback names always may); comma-separated.",
    )
    database_url: str | None = Field(None, description="Default: SQLite in data_dir.")
    queue_url: str | None = Field(None, description="redis://... or default SQLite in data_dir.")
    ratelimit_url: str | None = Field(None, description="redis://... or default memory://.")
    storage_url: str | None = Field(None, description="s3://bucket/prefix or default folder.")
    signing_secrets: list[SecretStr] = Field(
        default_factory=list,
        description="URL-signing secrets, newest first; default: generated into data_dir.",
    )
    signed_url_ttl_seconds: int = Field(
        24 * 3600, gt=0, description="How long a signed file URL stays valid."
    )
    metrics_token: SecretStr | None = Field(
        None,
        description="Bearer token that reads /metrics (for Prometheus); the owner account's "
        "API key reads it too.",
    )
    inline_inference: bool | None = Field(
        None,
        description="Run inference in the API process. Default: yes with the embedded queue, "
        "no with a Redis queue (API processes then wait on workers).",
    )
    log_level: Literal["debug", "info", "warning", "error"] = Field(
        "info", description="Least severe log lines written."
    )
    log_format: Literal["text", "json"] = Field(
        "text",
        description="Log lines as text (key=value after the message) or one JSON object per "
        "line (for log shippers). Either way each request logs one line with its request id, "
        "account id, route, status, latency and credits; keys and signatures are never logged.",
    )
    prices: dict[str, int] = Field(
        default_factory=dict, description="Price overrides, feature -> millicredits per unit."
    )
    jobs: JobsSettings = Field(default_factory=JobsSettings)
    limits: LimitsSettings = Field(default_factory=LimitsSettings)
    deadlines: DeadlineSettings = Field(default_factory=DeadlineSettings)
    fetch: FetchSettings = Field(default_factory=FetchSettings)
    engines: EnginesSettings = Field(default_factory=EnginesSettings)
    models: ModelsSettings = Field(default_factory=ModelsSettings)
    img2voice: Img2VoiceSettings = Field(default_factory=Img2VoiceSettings)
    providers: list[ProviderSettings] = Field(
        default_factory=list,
        description="Upstream OpenAI-compatible chat providers of the chat bridge (JSON list).",
    )
    chat: ChatSettings = Field(default_factory=ChatSettings)
    smtp: SmtpSettings = Field(default_factory=SmtpSettings)
    webvoice: WebVoiceSettings = Field(default_factory=WebVoiceSettings)
    voice_clone: CloneSettings = Field(default_factory=CloneSettings)
    sounds: SoundServiceSettings = Field(default_factory=SoundServiceSettings)
    vimmerse: VimmerseSettings = Field(default_factory=VimmerseSettings)

    @field_validator("trusted_hosts", mode="before")
    @classmethod
    def _host_list(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [part.strip().lower() for part in value.split(",") if part.strip()]
        return [str(v).lower() for v in value] if isinstance(value, list) else value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        config = settings_cls.model_config.get("toml_file") or os.environ.get("SEESAY_CONFIG")
        if config:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=Path(str(config))))
        return tuple(sources)

    # -- derived locations -------------------------------------------------------------

    @property
    def embedded_queue(self) -> bool:
        return not (self.queue_url or "").startswith(("redis://", "rediss://"))

    @property
    def runs_inference_inline(self) -> bool:
        return self.embedded_queue if self.inline_inference is None else self.inline_inference

    def public_origin(self) -> str:
        """Where URLs made outside a request (webhooks) point: ``public_base_url``, else the
        server's own host and port, a wildcard bind address shown as ``localhost``."""
        if self.public_base_url:
            return self.public_base_url.rstrip("/")
        wildcard = self.host in ("0.0.0.0", "::", "")  # noqa: S104 - recognised, not bound
        host = "localhost" if wildcard else self.host
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}"

    def resolved(self) -> Settings:
        """A copy with every derived location filled in and the data folder created."""
        data_dir = self.data_dir.expanduser().resolve()
        data_dir.mkdir(parents=True, exist_ok=True)
        updates: dict[str, Any] = {"data_dir": data_dir}
        if not self.database_url:
            updates["database_url"] = f"sqlite:///{data_dir / 'seesay.db'}"
        if not self.queue_url:
            updates["queue_url"] = f"sqlite:///{data_dir / 'queue.db'}"
        if not self.ratelimit_url:
            updates["ratelimit_url"] = "memory://"
        if not self.storage_url:
            updates["storage_url"] = f"file://{data_dir / 'files'}"
        if not self.signing_secrets:
            updates["signing_secrets"] = [SecretStr(_data_dir_secret(data_dir))]
        return self.model_copy(update=updates)


def _data_dir_secret(data_dir: Path) -> str:
    """The signing secret kept in the data folder, generated on first use (mode 0600)."""
    path = data_dir / "signing.key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    value = secrets.token_urlsafe(48)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(value + "\n")
    try:
        # link() fails if another process created the file first; then theirs wins.
        os.link(tmp, path)
    except FileExistsError:
        value = path.read_text().strip()
    finally:
        tmp.unlink(missing_ok=True)
    return value


def load_settings(config_file: Path | None = None, **overrides: Any) -> Settings:
    """Read settings from the environment (and a TOML file) and resolve derived paths."""
    cls: type[Settings] = Settings
    if config_file is not None:

        class _FromFile(Settings):
            model_config = SettingsConfigDict(toml_file=config_file)

        cls = _FromFile
    return Settings.model_validate(cls(**overrides).model_dump()).resolved()
