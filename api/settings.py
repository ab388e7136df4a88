"""Settings of the HTTP API: defaults < configuration file < environment < command line.

Environment variables carry the prefix ``REPLYLINT_`` (``REPLYLINT_PORT``,
``REPLYLINT_API_KEYS`` …). The configuration file is the nearest
``replylint.toml`` (table ``[api]``) or ``pyproject.toml`` (table
``[tool.replylint.api]``), looked for from the working directory upwards like the
linter's own configuration, or the file named by ``--config`` /
``REPLYLINT_CONFIG``. Secrets never go in a configuration file: keys come from
``REPLYLINT_API_KEYS`` or from the file named by ``api_keys_file``.

``replylint serve`` turns its options into ``REPLYLINT_*`` variables so that every
uvicorn worker process builds the same settings.
"""

from __future__ import annotations

import ipaddress
import os
import tomllib
from contextvars import ContextVar
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, NoDecode, PydanticBaseSettingsSource, SettingsConfigDict

from replylint.errors import ConfigError

ENV_PREFIX = "REPLYLINT_"
LANGUAGES = ("en", "fr", "de", "es", "it")

#: Values read from the configuration file for the Settings being built.
_file_values: ContextVar[dict[str, Any] | None] = ContextVar("replylint_api_file_values", default=None)


def _split_list(value: Any) -> Any:
    """Lists may be given as a comma- or newline-separated string (environment)."""
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            import json

            try:
                return json.loads(text)
            except ValueError:
                pass
        return [item.strip() for item in text.replace("\n", ",").split(",") if item.strip()]
    return value


class Settings(BaseSettings):
    """Everything an operator can set; see docs/api.md for the full table."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        extra="forbid",
        validate_default=True,
        case_sensitive=False,
    )

    # -- where to listen ----------------------------------------------------------------
    host: str = Field(default="127.0.0.1", description="Address to bind.")
    port: int = Field(default=8000, ge=0, le=65535, description="Port to bind (0: any free port).")
    workers: int = Field(default=1, ge=1, le=64, description="Worker processes.")
    allow_unauthenticated: bool = Field(
        default=False,
        description="Serve on a non-loopback address without API keys (off: refuse to start).",
    )

    # -- authentication -----------------------------------------------------------------
    api_keys: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        repr=False,
        description="API keys, 'id:secret' or 'secret', comma-separated (environment only).",
    )
    api_keys_file: Path | None = Field(
        default=None, description="File with one key a line ('id:secret' or 'secret'; # comments)."
    )

    # -- browsers -----------------------------------------------------------------------
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["chrome-extension://*"],
        description="Origins allowed by CORS; '*' in a pattern stands for one host name "
        "(e.g. 'chrome-extension://*' or 'chrome-extension://abcdefghijklmnopabcdefghijklmnop').",
    )

    # -- limits -------------------------------------------------------------------------
    max_text_chars: int = Field(
        default=20_000, ge=1, description="Longest text or buyer_message, in characters (413)."
    )
    max_batch_records: int = Field(default=100, ge=1, description="Most records in one batch (413).")
    max_body_bytes: int = Field(default=2 * 1024 * 1024, ge=1024, description="Largest request body (413).")
    request_timeout: float = Field(
        default=10.0, gt=0, description="Seconds a request may take before it is answered 503."
    )
    rewrite_timeout: float = Field(
        default=60.0, gt=0, description="Seconds /v1/rewrite may take (an LLM is slower than the linter)."
    )
    rate_limit: str = Field(
        default="1200/minute",
        description="Per key (or per client address without keys), e.g. '20/second;1200/minute'; "
        "'off' to disable. A batch costs one unit per record.",
    )
    # -- engine, docs, logs -------------------------------------------------------------
    warm_languages: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: list(LANGUAGES),
        description="Languages whose pipelines are loaded at start-up.",
    )
    docs: bool = Field(default=True, description="Serve /docs and /redoc.")
    access_log: bool = Field(default=True, description="Log one line per request (never a body).")
    log_level: Literal["critical", "error", "warning", "info", "debug"] = "info"

    @field_validator("api_keys", "cors_origins", "warm_languages", mode="before")
    @classmethod
    def _lists(cls, value: Any) -> Any:
        return _split_list(value)

    @field_validator("log_level", mode="before")
    @classmethod
    def _lower(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("warm_languages")
    @classmethod
    def _known_languages(cls, value: list[str]) -> list[str]:
        unknown = [v for v in value if v not in LANGUAGES]
        if unknown:
            raise ValueError(f"unknown language {', '.join(unknown)} (known: {', '.join(LANGUAGES)})")
        return value

    @field_validator("cors_origins")
    @classmethod
    def _origins_parse(cls, value: list[str]) -> list[str]:
        from .cors import origin_regex

        origin_regex(value)  # raises ValueError naming the bad origin
        return value

    @field_validator("rate_limit")
    @classmethod
    def _rate_limit_parses(cls, value: str) -> str:
        from .ratelimit import parse_limits

        parse_limits(value)  # raises ValueError with a readable message
        return value

    @model_validator(mode="after")
    def _keys_readable(self) -> Settings:
        if self.api_keys_file is not None and not self.api_keys_file.is_file():
            raise ValueError(f"api_keys_file {self.api_keys_file} is not a readable file")
        return self

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return init_settings, env_settings, _FileSource(settings_cls)

    # -- derived ------------------------------------------------------------------------

    @property
    def loopback_only(self) -> bool:
        return is_loopback(self.host)

    @property
    def auth_enabled(self) -> bool:
        return bool(self.api_keys) or self.api_keys_file is not None


class _FileSource(PydanticBaseSettingsSource):
    """The ``[api]`` table of the configuration file being loaded."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return (_file_values.get() or {}).get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        return dict(_file_values.get() or {})


def is_loopback(host: str) -> bool:
    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def find_config(start: Path | None = None) -> Path | None:
    """The nearest replylint.toml, or pyproject.toml with a [tool.replylint] table."""
    here = (start or Path.cwd()).resolve()
    for directory in (here, *here.parents):
        candidate = directory / "replylint.toml"
        if candidate.is_file():
            return candidate
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            try:
                data = tomllib.loads(candidate.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                continue
            if isinstance(data.get("tool"), dict) and "replylint" in data["tool"]:
                return candidate
    return None


def read_api_table(path: Path) -> dict[str, Any]:
    """The API table of a configuration file; relative paths are taken from its folder."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("replylint", {}).get("api", {})
        where = "[tool.replylint.api]"
    else:
        table = data.get("api", {})
        where = "[api]"
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: {where} must be a table")
    if "api_keys" in table:
        raise ConfigError(
            f"{path}: {where}.api_keys: keys do not belong in a configuration file; "
            "use REPLYLINT_API_KEYS or api_keys_file"
        )
    values = dict(table)
    keys_file = values.get("api_keys_file")
    if isinstance(keys_file, str) and not Path(keys_file).is_absolute():
        values["api_keys_file"] = str(path.parent / keys_file)
    return values


def load_settings(config: Path | None = None, **overrides: Any) -> Settings:
    """Build settings from the configuration file, the environment and ``overrides``.

    Raises :class:`~replylint.errors.ConfigError` naming the file or variable at fault.
    """
    config = config or _env_config() or find_config()
    values: dict[str, Any] = {}
    where = "environment"
    if config is not None:
        values = read_api_table(config)
        where = f"{config} or environment"
    token = _file_values.set(values)
    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            name = ".".join(str(p) for p in err["loc"]) or "settings"
            message = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                message = "unknown setting"
            problems.append(f"{name} ({ENV_PREFIX}{name.upper()}): {message}")
        raise ConfigError(f"invalid API settings in {where}: " + "; ".join(problems)) from None
    finally:
        _file_values.reset(token)


def _env_config() -> Path | None:
    value = os.environ.get(f"{ENV_PREFIX}CONFIG")
    if not value:
        return None
    path = Path(value)
    if not path.is_file():
        raise ConfigError(f"{ENV_PREFIX}CONFIG: {value} is not a file")
    return path
