"""/openapi.json documents every endpoint with the schema's models, examples and errors."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from replylint.schema import InputRecord


@pytest.fixture
def spec(client: TestClient) -> dict[str, Any]:
    document: dict[str, Any] = client.get("/openapi.json").json()
    return document


def ref(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if schema.get("type") == "array":
        return "list[" + ref(schema["items"]) + "]"
    return "?"


def body_model(operation: dict[str, Any]) -> str:
    return ref(operation["requestBody"]["content"]["application/json"]["schema"])


def answer_model(operation: dict[str, Any], status: str = "200") -> str:
    return ref(operation["responses"][status]["content"]["application/json"]["schema"])


def test_the_contract_endpoints_use_the_schema_models(spec: dict[str, Any]) -> None:
    paths = spec["paths"]
    assert body_model(paths["/v1/check"]["post"]) == "InputRecord"
    assert answer_model(paths["/v1/check"]["post"]) == "ResultRecord"
    assert body_model(paths["/v1/check/batch"]["post"]) == "BatchRequest"
    assert answer_model(paths["/v1/check/batch"]["post"]) == "BatchResponse"
    assert body_model(paths["/v1/rewrite"]["post"]) == "InputRecord"
    assert answer_model(paths["/v1/rewrite"]["post"]) == "RewriteResponse"
    assert answer_model(paths["/v1/rules"]["get"]) == "list[RuleInfo]"
    assert "/healthz" in paths and "/readyz" in paths


def test_errors_are_documented_with_the_one_error_model(spec: dict[str, Any]) -> None:
    check = spec["paths"]["/v1/check"]["post"]["responses"]
    for status in ("401", "413", "422", "429", "503"):
        assert answer_model({"responses": check}, status) == "ErrorResponse"
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    detail = spec["components"]["schemas"]["ErrorDetail"]
    assert set(detail["required"]) == {"code", "message"}


def test_the_components_are_the_schema_module_s_models(spec: dict[str, Any]) -> None:
    components = spec["components"]["schemas"]
    assert components["InputRecord"]["properties"]["text"]["description"] == (
        InputRecord.model_fields["text"].description
    )
    result = components["ResultRecord"]
    assert {"id", "lang", "marketplace", "compliant", "score", "diagnostics", "structure", "triage"} <= set(
        result["properties"]
    )


def test_request_bodies_have_examples_for_the_docs(spec: dict[str, Any]) -> None:
    examples = spec["paths"]["/v1/check"]["post"]["requestBody"]["content"]["application/json"]["examples"]
    assert len(examples) >= 3
    assert all("text" in e["value"] for e in examples.values())
    assert spec["paths"]["/v1/rewrite"]["post"]["requestBody"]["content"]["application/json"]["examples"]


def test_the_bearer_scheme_is_declared_and_health_does_not_use_it(spec: dict[str, Any]) -> None:
    schemes = spec["components"]["securitySchemes"]
    assert any(s["type"] == "http" and s["scheme"] == "bearer" for s in schemes.values())
    assert spec["paths"]["/v1/check"]["post"].get("security")
    assert not spec["paths"]["/healthz"]["get"].get("security")


def test_the_version_is_the_package_version(spec: dict[str, Any]) -> None:
    from replylint.__about__ import __version__

    assert spec["info"]["version"] == __version__ and spec["info"]["title"] == "replylint"


@pytest.mark.parametrize("model", ["InputRecord", "ResultRecord", "RewriteResponse", "ErrorResponse"])
def test_documented_examples_validate_against_their_model(spec: dict[str, Any], model: str) -> None:
    from replylint import schema

    cls = getattr(schema, model)
    for example in spec["components"]["schemas"][model].get("examples", []):
        cls.model_validate(example)
