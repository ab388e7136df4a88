"""The application factory: settings → keys, limits, engine → routers and middleware.

uvicorn runs ``api.main:create_app`` as a factory, once per worker process, so
each worker builds its settings from the same environment and owns one linter.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import RedirectResponse, Response

from replylint.__about__ import __version__
from replylint.engine import Linter

from .auth import KeyStore
from .cors import ALLOWED_HEADERS, EXPOSED_HEADERS, ExtensionCORSMiddleware, origin_regex
from .errors import install_handlers
from .middleware import RequestContextMiddleware
from .ratelimit import RateLimiter
from .routes import check, health, rewrite, rules
from .service import LintService
from .settings import Settings, load_settings

log = logging.getLogger("replylint.api")

DESCRIPTION = """\
Lint marketplace sellers' replies to buyers for policy, tone and structure, in
English, French, German, Spanish and Italian.

* `POST /v1/check`: an input record in, a result record out.
* `POST /v1/check/batch`: `{"records": [...]}` in, `{"results": [...]}` out.
* `POST /v1/rewrite`: a compliant, warmer draft, re-linted.
* `GET /v1/rules`: the rule catalogue.

Offsets (`start`, `end`) are Python string indices (Unicode code points) into `text`.
When the server has API keys, send `Authorization: Bearer KEY`. Every error is
`{"error": {"code": "...", "message": "..."}}`.
"""

TAGS = [
    {"name": "check", "description": "Lint replies."},
    {"name": "rewrite", "description": "Rewrite a draft into a compliant, warmer reply."},
    {"name": "rules", "description": "The rule catalogue."},
    {"name": "health", "description": "Liveness and readiness probes (no authentication)."},
]


def create_app(settings: Settings | None = None, *, linter: Linter | None = None) -> FastAPI:
    """Build the API. ``linter`` lets tests share an already warm engine."""
    settings = settings or load_settings()
    keys = KeyStore.from_sources(settings.api_keys, settings.api_keys_file)
    service = LintService(settings, linter)
    limiter = RateLimiter(settings.rate_limit)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if keys.enabled:
            log.info("authentication on: %d API key(s): %s", len(keys.ids), ", ".join(keys.ids))
        else:
            log.warning("authentication off: no API keys configured (REPLYLINT_API_KEYS)")
        service.start()
        try:
            yield
        finally:
            limiter.close()
            service.close()

    app = FastAPI(
        title="replylint",
        version=__version__,
        summary="Compliance and empathy linter for marketplace sellers' replies to buyers.",
        description=DESCRIPTION,
        openapi_tags=TAGS,
        license_info={"name": "MIT", "identifier": "MIT"},
        lifespan=lifespan,
        docs_url="/docs" if settings.docs else None,
        redoc_url="/redoc" if settings.docs else None,
    )
    app.state.settings = settings
    app.state.keys = keys
    app.state.service = service
    app.state.rate_limiter = limiter

    install_handlers(app)
    for module in (check, rewrite, rules, health):
        app.include_router(module.router)

    @app.get("/", include_in_schema=False)
    async def root() -> Response:
        if settings.docs:
            return RedirectResponse("/docs")
        return Response(status_code=204)

    # Added last = outermost: CORS answers pre-flights and decorates every answer,
    # including the errors the request middleware produces itself.
    app.add_middleware(
        RequestContextMiddleware,
        max_body_bytes=settings.max_body_bytes,
        timeout=settings.request_timeout,
        timeouts={"/v1/rewrite": settings.rewrite_timeout},
        log_access=settings.access_log,
    )
    app.add_middleware(
        ExtensionCORSMiddleware,
        allow_origin_regex=origin_regex(settings.cors_origins),
        allow_methods=["GET", "POST"],
        allow_headers=list(ALLOWED_HEADERS),
        expose_headers=list(EXPOSED_HEADERS),
        allow_private_network=True,
        max_age=600,
    )
    return app
