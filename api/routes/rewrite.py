"""The rewrite assistant: a compliant, warmer draft, always re-linted."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends
from fastapi.responses import Response

from replylint.engine import Linter
from replylint.schema import InputRecord, RewriteResponse

from ..deps import ServiceDep, rate_limit
from ..errors import error_responses
from .examples import REWRITE_EXAMPLES

router = APIRouter(
    prefix="/v1",
    tags=["rewrite"],
    dependencies=[Depends(rate_limit)],
    responses=error_responses(401, 413, 422, 429, 503),
)


@router.post("/rewrite", response_model=RewriteResponse, summary="Rewrite a draft")
async def rewrite_reply(
    record: Annotated[InputRecord, Body(openapi_examples=REWRITE_EXAMPLES)],
    service: ServiceDep,
) -> Response:
    """The new draft, its result record, the engine that wrote it (`llm` when one is
    configured on the server, else `offline`) and the list of changes to review."""
    from replylint.rewrite import RewriteOptions, rewrite
    from replylint.rewrite.llm import load_settings

    service.check_sizes(record)
    # Read once: the same settings decide where the job runs and which engine writes.
    llm = load_settings()
    options = RewriteOptions(llm=llm)

    def work(linter: Linter) -> str:
        return rewrite(record, linter=linter, options=options).model_dump_json()

    # With a model, a rewrite may wait seconds for it: it runs beside the queue. The
    # offline engine takes milliseconds: it waits its turn in the queue like a check
    # (and so runs in memory zones on the lint thread).
    queued = not llm.configured
    return Response(content=await service.run(work, queued=queued), media_type="application/json")
