"""The rule catalogue, as `replylint rules` lists it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from replylint.schema import Family, Marketplace, RuleInfo

from ..deps import ServiceDep, rate_limit
from ..errors import UnknownRule, error_responses

router = APIRouter(
    prefix="/v1",
    tags=["rules"],
    dependencies=[Depends(rate_limit)],
    responses=error_responses(401, 422, 429, 503),
)


@router.get("/rules", summary="List every rule")
async def list_rules(
    service: ServiceDep,
    family: Annotated[Family | None, Query(description="Only rules of this family.")] = None,
    marketplace: Annotated[
        Marketplace | None, Query(description="Only rules that are on in this marketplace profile.")
    ] = None,
) -> list[RuleInfo]:
    """Id, family, default severity, severity per marketplace, languages and fix safety of each rule."""
    rules = await service.rules()
    return [
        r
        for r in sorted(rules, key=lambda r: (r.family, r.id))
        if (family is None or r.family == family)
        and (marketplace is None or r.marketplaces.get(marketplace, "off") != "off")
    ]


@router.get("/rules/{rule_id}", summary="One rule", responses=error_responses(404))
async def get_rule(
    service: ServiceDep,
    rule_id: Annotated[str, Path(description="Rule id or alias, e.g. external-link.", max_length=100)],
) -> RuleInfo:
    rules = {r.id: r for r in await service.rules()}
    for rule in rules.values():
        if rule_id == rule.id or rule_id in rule.aliases:
            return rule
    raise UnknownRule(f"no rule {rule_id!r} (see GET /v1/rules)")
