"""`replylint serve`: the HTTP API (FastAPI under uvicorn), 127.0.0.1:8000 by default.

The API package is imported only here, and only when the command runs, so the
core and the other commands never pay for FastAPI. Options become
``REPLYLINT_*`` variables before uvicorn starts, so every worker process builds
the same settings; see :mod:`api.settings` and docs/api.md.
"""

from __future__ import annotations

import inspect
import os
import secrets
from pathlib import Path
from typing import Any

import click

from ..errors import ConfigError


def _log_config(level: str) -> dict[str, Any]:
    """uvicorn's own loggers and replylint's, one format; uvicorn's access log is off
    (it records addresses and query strings), the API writes its own."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "default": {
                "format": "%(asctime)s %(levelname)-7s %(name)s: %(message)s",
                "datefmt": "%Y-%m-%dT%H:%M:%S",
            }
        },
        "handlers": {
            "stderr": {"class": "logging.StreamHandler", "formatter": "default", "stream": "ext://sys.stderr"}
        },
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": level.upper(), "propagate": False},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
            "replylint": {"handlers": ["stderr"], "level": level.upper(), "propagate": False},
        },
    }


@click.command()
@click.option("--host", default=None, help="Address to bind (default 127.0.0.1, or REPLYLINT_HOST).")
@click.option("--port", type=click.IntRange(0, 65535), default=None, help="Port (default 8000).")
@click.option("--workers", type=click.IntRange(1, 64), default=None, help="Worker processes (default 1).")
@click.option(
    "--config",
    "config_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="replylint.toml ([api] table) or pyproject.toml ([tool.replylint.api]); default: nearest.",
)
@click.option(
    "--allow-unauthenticated",
    is_flag=True,
    default=None,
    help="Listen on a non-loopback address without API keys (refused otherwise).",
)
@click.option(
    "--log-level",
    type=click.Choice(["critical", "error", "warning", "info", "debug"]),
    default=None,
    help="Log level (default info).",
)
@click.option("--new-key", is_flag=True, help="Print a new random API key and exit.")
def serve(
    host: str | None,
    port: int | None,
    workers: int | None,
    config_path: Path | None,
    allow_unauthenticated: bool | None,
    log_level: str | None,
    new_key: bool,
) -> None:
    """Start the HTTP API (POST /v1/check, /v1/check/batch, /v1/rewrite; GET /v1/rules).

    \b
    API keys: REPLYLINT_API_KEYS="team-a:SECRET,team-b:SECRET" or api_keys_file.
    Without keys the server listens on loopback only, unless told otherwise.
    Every setting (limits, CORS origins, rate limit …) is listed in docs/api.md.
    """
    if new_key:
        click.echo(secrets.token_urlsafe(32))
        return
    try:
        import uvicorn

        from api.auth import KeyStore
        from api.settings import ENV_PREFIX, load_settings
    except ImportError as exc:
        raise ConfigError(
            f"the HTTP API needs the 'api' extra ({exc.name} is missing): pip install 'replylint[api]'"
        ) from None

    given: dict[str, Any] = {
        "host": host,
        "port": port,
        "workers": workers,
        "allow_unauthenticated": allow_unauthenticated,
        "log_level": log_level,
    }
    for name, value in given.items():
        if value is not None:
            os.environ[f"{ENV_PREFIX}{name.upper()}"] = str(value)
    if config_path is not None:
        os.environ[f"{ENV_PREFIX}CONFIG"] = str(config_path.resolve())

    settings = load_settings()
    keys = KeyStore.from_sources(settings.api_keys, settings.api_keys_file)
    if not keys.enabled and not settings.loopback_only and not settings.allow_unauthenticated:
        raise ConfigError(
            f"refusing to listen on {settings.host} without API keys: anyone who can reach it could "
            "use it. Set REPLYLINT_API_KEYS (`replylint serve --new-key` makes one), or pass "
            "--allow-unauthenticated if a proxy in front authenticates"
        )
    # A broken rule file stops the server here, with the file and field named.
    from ..catalogue import load_catalogue

    load_catalogue()

    shown_host = f"[{settings.host}]" if ":" in settings.host else settings.host
    url = f"http://{shown_host}:{settings.port}"
    click.echo(
        f"replylint API on {url} ({settings.workers} worker{'s' if settings.workers > 1 else ''})"
        + (f", docs at {url}/docs" if settings.docs else ""),
        err=True,
    )
    if keys.enabled:
        click.echo(f"authentication on: {len(keys.ids)} API key(s): {', '.join(keys.ids)}", err=True)
    elif settings.loopback_only:
        click.echo("authentication off (no API keys configured): listening on loopback only", err=True)
    else:
        click.echo(
            f"WARNING: authentication off and listening on {settings.host}: anyone who can reach "
            "this address can use the API",
            err=True,
        )
    extra: dict[str, Any] = {}
    if "timeout_worker_healthcheck" in inspect.signature(uvicorn.Config).parameters:
        # A worker imports spaCy before it answers uvicorn's first health check;
        # on a busy machine that takes longer than uvicorn's 5 s default.
        extra["timeout_worker_healthcheck"] = 120
    uvicorn.run(
        "api.main:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        log_config=_log_config(settings.log_level),
        access_log=False,
        server_header=False,
        proxy_headers=False,
        timeout_keep_alive=5,
        timeout_graceful_shutdown=10,
        **extra,
    )
