"""compose.yaml, .env.example and deploy/Caddyfile agree with each other and with the Settings
model (the running stack is tested from the image in tests/deploy)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from seesay.settings import load_settings
from seesay.storage.factory import open_blob_store

ROOT = Path(__file__).resolve().parents[1]
VARIABLE = re.compile(r"\$\{([A-Z0-9_]+)(?::?([-?])([^}]*))?\}")


def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())  # type: ignore[no-any-return]


def seesay_services(services: dict[str, Any]) -> dict[str, Any]:
    return {n: s for n, s in services.items() if "seesay" in str(s.get("image", ""))}


def interpolate(value: str, env: dict[str, str]) -> str:
    """Compose's ``${NAME}``, ``${NAME:-default}`` and ``${NAME:?error}``."""

    def one(match: re.Match[str]) -> str:
        name, kind, word = match.groups()
        if env.get(name):
            return env[name]
        assert kind != "?", f"compose would stop: {word}"
        return word if kind == "-" else ""

    return VARIABLE.sub(one, value)


def test_every_variable_compose_reads_is_in_the_env_example() -> None:
    example = (ROOT / ".env.example").read_text()
    documented = set(re.findall(r"^#?\s*([A-Z0-9_]+)=", example, re.MULTILINE))
    used = {m[0] for m in VARIABLE.findall((ROOT / "compose.yaml").read_text())}
    assert used - documented == set()


def test_the_seesay_services_settings_are_real_and_valid(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = seesay_services(compose()["services"])
    assert set(services) == {"migrate", "api-1", "api-2", "worker-1", "worker-2"}
    secrets = {
        "POSTGRES_PASSWORD": "pg0123",
        "REDIS_PASSWORD": "redis0123",
        "MINIO_ROOT_USER": "seesay",
        "MINIO_ROOT_PASSWORD": "minio0123",
        "SEESAY_SIGNING_SECRET": "0123456789abcdef",
    }
    for service in services.values():
        env = {k: interpolate(str(v), secrets) for k, v in service["environment"].items()}
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        settings = load_settings(data_dir=tmp_path)
        # A misspelt name would be ignored silently (extra="ignore"): every one must be a field.
        names = {k[len("SEESAY_") :].lower() for k in env if k.startswith("SEESAY_")}
        assert names <= set(type(settings).model_fields)
        # Optional values left empty in .env mean "not set".
        assert not settings.public_base_url
        assert settings.log_level == "info"
        assert settings.database_url == "postgresql://seesay:pg0123@postgres:5432/seesay"
        assert not settings.embedded_queue
        assert settings.ratelimit_url == "redis://:redis0123@redis:6379/1"
        assert [s.get_secret_value() for s in settings.signing_secrets] == ["0123456789abcdef"]
        assert settings.storage_url
        open_blob_store(settings.storage_url)  # parses; connects to nothing
        # Pulled models (<data_dir>/models) are one volume for every API and worker.
        assert "models:/data/models" in service["volumes"]


def test_migrations_run_once_before_any_api_or_worker() -> None:
    services = compose()["services"]
    assert services["migrate"]["command"] == ["db", "upgrade"]
    assert services["migrate"]["restart"] == "no"
    for name in ("api-1", "api-2", "worker-1", "worker-2"):
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }
    assert [services[n]["command"][0] for n in ("api-1", "api-2")] == ["serve", "serve"]
    # One API process creates the owner account, then the other starts.
    assert services["api-2"]["depends_on"]["api-1"] == {"condition": "service_healthy"}
    assert [services[n]["command"][0] for n in ("worker-1", "worker-2")] == ["worker", "worker"]


def test_the_proxy_balances_over_both_api_replicas() -> None:
    services = compose()["services"]
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text()
    (upstreams,) = re.findall(r"reverse_proxy ([^{]+)\{", caddyfile)
    assert upstreams.split() == ["api-1:8000", "api-2:8000"]
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in services["proxy"]["volumes"]
    assert set(services["proxy"]["depends_on"]) == {"api-1", "api-2"}
