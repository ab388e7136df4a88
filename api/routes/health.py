"""Liveness and readiness; no authentication, no rate limit, nothing private."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from replylint.__about__ import __version__

from ..deps import ServiceDep
from ..errors import ServiceUnavailable, error_responses

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: Literal["ok"] = "ok"
    version: str = Field(description="replylint version.")


class Readiness(BaseModel):
    status: Literal["ready"] = "ready"
    version: str
    rules: int = Field(description="Rules loaded.")
    languages: list[str] = Field(description="Languages whose pipelines are warm.")
    load_seconds: float | None = Field(description="Time the engine took to load.")


@router.get("/healthz", summary="Liveness: the process answers")
async def healthz() -> Health:
    """Answers as soon as the process serves requests, even while the engine loads."""
    return Health(version=__version__)


@router.get("/readyz", summary="Readiness: the engine is loaded", responses=error_responses(503))
async def readyz(service: ServiceDep) -> Readiness:
    """200 once the rules and language pipelines are loaded; 503 before, or if loading failed."""
    if service.error is not None:
        raise ServiceUnavailable(f"the engine failed to load: {service.error}", code="engine-failed")
    if not service.ready:
        raise ServiceUnavailable("the engine is loading", code="not-ready")
    rules = await service.rules()
    return Readiness(
        version=__version__,
        rules=len(rules),
        languages=list(service.settings.warm_languages),
        load_seconds=round(service.load_seconds, 3) if service.load_seconds is not None else None,
    )
