"""Every endpoint of CONTRACT §3, answered with the schema's models."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from replylint.engine import Linter
from replylint.schema import BatchResponse, ErrorResponse, ResultRecord, RewriteResponse, RuleInfo

LINK_REPLY = "Thanks for your order! Visit www.my-shop-example.com for more."


def test_check_returns_the_result_record_the_engine_computes(client: TestClient, linter: Linter) -> None:
    body = {"id": "t-1", "text": LINK_REPLY, "marketplace": "amazon", "lang": "en"}
    response = client.post("/v1/check", json=body)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    result = ResultRecord.model_validate(response.json())
    assert result == linter.check_text(LINK_REPLY, id="t-1", marketplace="amazon", lang="en")
    assert result.id == "t-1" and result.compliant is False
    link = next(d for d in result.diagnostics if d.rule == "external-link")
    assert LINK_REPLY[link.start : link.end] == "www.my-shop-example.com"


def test_check_offsets_are_code_points_into_the_original_text(client: TestClient) -> None:
    text = "😀 Café é — écrivez-moi à vendeur@example.com merci"
    result = client.post("/v1/check", json={"text": text, "lang": "fr"}).json()
    spans = [text[d["start"] : d["end"]] for d in result["diagnostics"] if d["rule"] == "contact-info"]
    assert "vendeur@example.com" in spans


def test_check_passes_extra_fields_through(client: TestClient) -> None:
    body = {"text": "Thank you, we shipped it today.", "lang": "en", "agent": "maria", "channel": "chat"}
    result = client.post("/v1/check", json=body).json()
    assert (result["agent"], result["channel"]) == ("maria", "chat")


def test_check_triages_the_buyer_message_when_given(client: TestClient) -> None:
    without = client.post("/v1/check", json={"text": "We are sorry.", "lang": "en"}).json()
    assert without["triage"] is None
    with_buyer = client.post(
        "/v1/check",
        json={
            "text": "We are sorry, I will look into it.",
            "buyer_message": "My parcel never arrived, I will file an A-to-z claim.",
            "lang": "en",
        },
    ).json()
    assert with_buyer["triage"]["risk"] in {"low", "medium", "high"}
    assert with_buyer["triage"]["sla_hours"] >= 1


def test_check_select_and_ignore_choose_rules(client: TestClient) -> None:
    only_links = client.post("/v1/check?select=external-link", json={"text": LINK_REPLY, "lang": "en"}).json()
    assert {d["rule"] for d in only_links["diagnostics"]} == {"external-link"}
    no_policy = client.post("/v1/check?ignore=policy", json={"text": LINK_REPLY, "lang": "en"}).json()
    assert not [d for d in no_policy["diagnostics"] if d["family"] == "policy"]


def test_an_unknown_rule_in_select_is_a_422_naming_it(client: TestClient) -> None:
    response = client.post("/v1/check?select=external-link,no-such-rule", json={"text": "Hi", "lang": "en"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "unknown-rule"
    assert "no-such-rule" in response.json()["error"]["message"]


def test_batch_answers_in_order_and_numbers_records_without_id(client: TestClient) -> None:
    records = [
        {"id": "a", "text": LINK_REPLY, "lang": "en"},
        {"text": "Thank you for your order, it ships today.", "lang": "en"},
        {"id": 42, "text": "Write to me at seller@example.com", "lang": "en"},
    ]
    response = client.post("/v1/check/batch", json={"records": records})
    assert response.status_code == 200
    results = BatchResponse.model_validate(response.json()).results
    assert [r.id for r in results] == ["a", "2", "42"]
    assert [r.compliant for r in results] == [False, True, False]


def test_an_empty_batch_gives_no_results(client: TestClient) -> None:
    assert client.post("/v1/check/batch", json={"records": []}).json() == {"results": []}


def test_one_bad_record_fails_the_batch_naming_its_position(client: TestClient) -> None:
    records = [{"text": "Fine.", "lang": "en"}, {"text": "   ", "lang": "en"}]
    response = client.post("/v1/check/batch", json={"records": records})
    assert response.status_code == 422
    assert response.json()["error"]["message"].startswith("records[1]: ")
    missing = client.post("/v1/check/batch", json={"records": [{"lang": "en"}]})
    assert missing.status_code == 422
    assert "records[0].text" in missing.json()["error"]["message"]


def test_rewrite_returns_a_relinted_draft(client: TestClient, linter: Linter) -> None:
    body = {"text": "Thanks! Visit www.my-shop-example.com for details.", "lang": "en"}
    response = client.post("/v1/rewrite", json=body)
    assert response.status_code == 200
    answer = RewriteResponse.model_validate(response.json())
    assert answer.engine in {"llm", "offline"}
    assert answer.result == linter.check_text(answer.text, lang="en")
    assert "www.my-shop-example.com" not in answer.text
    assert answer.changes


def test_rules_lists_the_catalogue(client: TestClient, linter: Linter) -> None:
    response = client.get("/v1/rules")
    assert response.status_code == 200
    infos = [RuleInfo.model_validate(r) for r in response.json()]
    assert {i.id for i in infos} == set(linter.catalogue.rules)
    assert {"external-link", "contact-info"} <= {i.id for i in infos}


def test_rules_filter_by_family_and_marketplace(client: TestClient) -> None:
    policy = client.get("/v1/rules", params={"family": "policy"}).json()
    assert policy and {r["family"] for r in policy} == {"policy"}
    shopify = client.get("/v1/rules", params={"marketplace": "shopify"}).json()
    assert "external-link" not in {r["id"] for r in shopify}
    assert client.get("/v1/rules", params={"family": "nonsense"}).status_code == 422


def test_one_rule_by_id_and_404_for_an_unknown_one(client: TestClient) -> None:
    assert client.get("/v1/rules/external-link").json()["id"] == "external-link"
    missing = client.get("/v1/rules/no-such-rule")
    assert missing.status_code == 404
    assert ErrorResponse.model_validate(missing.json()).error.code == "unknown-rule"


def test_healthz_and_readyz(client: TestClient, linter: Linter) -> None:
    health = client.get("/healthz")
    assert health.status_code == 200 and health.json()["status"] == "ok"
    ready = client.get("/readyz").json()
    assert ready["status"] == "ready"
    assert ready["rules"] == len(linter.catalogue.rules)
    assert ready["languages"] == ["en"]


def test_every_answer_carries_the_version_and_a_request_id(client: TestClient) -> None:
    from replylint.__about__ import __version__

    for response in (client.get("/healthz"), client.post("/v1/check", json={})):
        assert response.headers["x-replylint-version"] == __version__
        assert response.headers["x-request-id"]
        assert response.headers["cache-control"] == "no-store"
    echoed = client.get("/healthz", headers={"X-Request-Id": "abc-123"})
    assert echoed.headers["x-request-id"] == "abc-123"
    forged = client.get("/healthz", headers={"X-Request-Id": "bad id with spaces; x=1"})
    assert forged.headers["x-request-id"] != "bad id with spaces; x=1"


def test_the_root_sends_people_to_the_docs(client: TestClient) -> None:
    response = client.get("/", follow_redirects=False)
    assert response.status_code in {302, 307} and response.headers["location"] == "/docs"
    assert "swagger" in client.get("/docs").text.lower()


def test_docs_can_be_turned_off(serve: Callable[..., TestClient]) -> None:
    client = serve(docs=False)
    assert client.get("/docs").status_code == 404
    assert client.get("/openapi.json").status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("GET", "/nowhere", 404, "not-found"),
        ("DELETE", "/v1/check", 405, "method-not-allowed"),
        ("GET", "/v1/check", 405, "method-not-allowed"),
    ],
)
def test_unknown_routes_and_methods_answer_the_error_shape(
    client: TestClient, method: str, path: str, status: int, code: str
) -> None:
    response = client.request(method, path)
    assert response.status_code == status
    assert ErrorResponse.model_validate(response.json()).error.code == code
