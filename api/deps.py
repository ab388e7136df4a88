"""Dependencies shared by the routers, as ``Annotated`` aliases.

``Authenticated`` checks the bearer key (when keys are configured) and
``Guarded`` adds the rate limit; the ``/v1`` routers use ``Guarded`` as a
router-wide dependency, and the health routes use neither.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from .auth import Client, KeyStore
from .errors import RateLimited, Unauthorized
from .middleware import KEY_ID_KEY
from .ratelimit import RateLimiter
from .service import LintService
from .settings import Settings

# Every dependency is ``async``: FastAPI runs plain functions in the thread pool,
# and a thread hop per dependency costs more than the work they do.
bearer = HTTPBearer(
    auto_error=False,
    description="`Authorization: Bearer KEY`, required when the server has API keys configured.",
)


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_service(request: Request) -> LintService:
    service: LintService = request.app.state.service
    return service


SettingsDep = Annotated[Settings, Depends(get_settings)]
ServiceDep = Annotated[LintService, Depends(get_service)]


async def authenticate(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Client:
    keys: KeyStore = request.app.state.keys
    if not keys.enabled:
        # Without keys, clients are told apart by address for the rate limit only;
        # the address is never logged.
        host = request.client.host if request.client else "unknown"
        client = Client(id="anonymous", authenticated=False, rate_key=f"address:{host}")
    elif credentials is None:
        raise Unauthorized("an API key is required: send the header `Authorization: Bearer KEY`")
    else:
        key_id = keys.identify(credentials.credentials)
        if key_id is None:
            raise Unauthorized("the API key is not valid", code="invalid-key")
        client = Client(id=key_id, authenticated=True, rate_key=f"key:{key_id}")
    request.scope[KEY_ID_KEY] = client.id
    return client


Authenticated = Annotated[Client, Depends(authenticate)]


async def rate_limit(request: Request, client: Authenticated) -> Client:
    charge(request.app.state.rate_limiter, client, 1)
    return client


def charge(limiter: RateLimiter, client: Client, cost: int) -> None:
    """Spend ``cost`` units of the client's limit, or raise 429."""
    if not limiter.enabled or cost <= 0:
        return
    verdict = limiter.hit(client.rate_key, cost)
    if not verdict.allowed:
        raise RateLimited(
            f"rate limit of {verdict.limit} exceeded for {client.id}; retry in {verdict.retry_after} s",
            headers={"Retry-After": str(verdict.retry_after)},
        )


async def get_rate_limiter(request: Request) -> RateLimiter:
    limiter: RateLimiter = request.app.state.rate_limiter
    return limiter


Guarded = Annotated[Client, Depends(rate_limit)]
LimiterDep = Annotated[RateLimiter, Depends(get_rate_limiter)]
