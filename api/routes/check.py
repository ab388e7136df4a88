"""Linting: one reply, or a bounded batch of them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Query
from fastapi.responses import Response

from replylint.engine import Linter
from replylint.errors import InputError, TooLargeError
from replylint.schema import BatchRequest, BatchResponse, InputRecord, ResultRecord

from ..deps import Guarded, LimiterDep, ServiceDep, SettingsDep, charge, rate_limit
from ..errors import error_responses
from .examples import BATCH_EXAMPLES, CHECK_EXAMPLES

router = APIRouter(
    prefix="/v1",
    tags=["check"],
    dependencies=[Depends(rate_limit)],
    responses=error_responses(401, 413, 422, 429, 503),
)

Select = Annotated[
    str | None,
    Query(
        description="Only these rule ids or families, comma-separated (e.g. `policy,over-promise`).",
        max_length=2000,
    ),
]
Ignore = Annotated[
    str | None,
    Query(description="Skip these rule ids or families, comma-separated.", max_length=2000),
]


def _json(body: str) -> Response:
    # Results are serialised once, by pydantic, straight from the engine's models.
    return Response(content=body, media_type="application/json")


@router.post("/check", response_model=ResultRecord, summary="Lint one reply")
async def check(
    record: Annotated[InputRecord, Body(openapi_examples=CHECK_EXAMPLES)],
    service: ServiceDep,
    select: Select = None,
    ignore: Ignore = None,
) -> Response:
    """An input record in, its result record out (CONTRACT §1): diagnostics with offsets
    into `text`, compliance, score, structure, and triage when `buyer_message` is given."""
    service.check_sizes(record)

    def work(linter: Linter) -> str:
        chosen = service.selection(linter, select, "select")
        skipped = service.selection(linter, ignore, "ignore")
        return linter.check(record, select=chosen, ignore=skipped).model_dump_json()

    return _json(await service.run(work))


@router.post("/check/batch", response_model=BatchResponse, summary="Lint several replies")
async def check_batch(
    batch: Annotated[BatchRequest, Body(openapi_examples=BATCH_EXAMPLES)],
    service: ServiceDep,
    settings: SettingsDep,
    client: Guarded,
    limiter: LimiterDep,
    select: Select = None,
    ignore: Ignore = None,
) -> Response:
    """`{"records": [...]}` in, `{"results": [...]}` out, in the same order. A record
    without an `id` gets its 1-based position. One bad record fails the whole request
    (422 or 413, naming `records[i]`); each record counts against the rate limit."""
    records = batch.records
    if len(records) > settings.max_batch_records:
        raise TooLargeError(
            f"the batch has {len(records):,} records; this server accepts at most "
            f"{settings.max_batch_records:,} per request (REPLYLINT_MAX_BATCH_RECORDS)",
            code="batch-too-large",
        )
    charge(limiter, client, len(records) - 1)  # the first was charged by the guard
    for index, record in enumerate(records):
        service.check_sizes(record, f"records[{index}].")
        if record.id is None or record.id == "":
            record.id = str(index + 1)

    def work(linter: Linter) -> str:
        chosen = service.selection(linter, select, "select")
        skipped = service.selection(linter, ignore, "ignore")
        results: list[ResultRecord] = []
        for index, record in enumerate(records):
            try:
                results.append(linter.check(record, select=chosen, ignore=skipped))
            except InputError as exc:
                raise type(exc)(f"records[{index}]: {exc.message}", code=exc.code) from None
        return BatchResponse(results=results).model_dump_json()

    return _json(await service.run(work))
