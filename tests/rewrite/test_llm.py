"""The LLM engine through the real openai client, against recorded chat completions.

Each cassette in ``cassettes/`` holds what an OpenAI-compatible endpoint answered;
vcrpy plays it back to the client's HTTP transport, so requests are built, sent and
parsed exactly as in production. Transport failures that a cassette cannot hold
(a read timeout) use the same client over a mock transport.
"""

from __future__ import annotations

import importlib
import json
import os
from collections.abc import Callable
from typing import Any

import openai
import pytest

from replylint.engine import Linter
from replylint.errors import ConfigError
from replylint.rewrite import RewriteOptions, rewrite
from replylint.rewrite.llm import ChatClient, LLMSettings, LLMUnavailable, clean_answer
from replylint.schema import InputRecord

from .conftest import FakeSleep
from .scenarios import BUYER, DRAFT, FR_BUYER, FR_DRAFT

# Replay needs no key. To re-record against a real endpoint (docs/rewrite.md), set
# REPLYLINT_RECORD_API_KEY (and REPLYLINT_RECORD_BASE_URL / _MODEL for another server).
RECORD_KEY = os.environ.get("REPLYLINT_RECORD_API_KEY", "sk-test")
SETTINGS = LLMSettings(
    model=os.environ.get("REPLYLINT_RECORD_MODEL", "gpt-4o-mini"),
    base_url=os.environ.get("REPLYLINT_RECORD_BASE_URL") or None,
    api_key=RECORD_KEY,
    timeout=30,
    max_retries=2,
    backoff=0.5,
)


def _http_module() -> Any:
    """The HTTP library this openai release is built on (httpx or its fork httpx2)."""
    client_class = next(c for c in type(openai.DefaultHttpxClient()).__mro__ if c.__name__ == "Client")
    return importlib.import_module(client_class.__module__.split(".")[0])


def _client(**http_kwargs: Any) -> openai.OpenAI:
    return openai.OpenAI(
        api_key="sk-test", max_retries=0, http_client=openai.DefaultHttpxClient(**http_kwargs)
    )


def _capturing_client() -> tuple[openai.OpenAI, list[dict[str, Any]]]:
    """A client whose requests are kept (their JSON bodies) for inspection."""
    sent: list[dict[str, Any]] = []

    def keep(request: Any) -> None:
        request.read()
        sent.append(json.loads(request.content))

    return _client(event_hooks={"request": [keep]}), sent


def _record() -> InputRecord:
    return InputRecord(text=DRAFT, buyer_message=BUYER, lang="en")


def _rewrite(linter: Linter, sleep: FakeSleep, client: Any = None, record: InputRecord | None = None) -> Any:
    options = RewriteOptions(engine="auto", llm=SETTINGS, client=client, sleep=sleep, clock=sleep.clock)
    return rewrite(record or _record(), linter=linter, options=options)


@pytest.mark.vcr("llm_success.yaml")
def test_llm_rewrite_is_used_when_it_passes_the_checks(linter: Linter, sleep: FakeSleep) -> None:
    response = _rewrite(linter, sleep)

    assert response.engine == "llm"
    assert response.result.compliant
    assert response.text.startswith("Hi Sam,")  # the redacted name came back
    assert response.text.rstrip().endswith("Tom")
    assert "112-8846120-5518623" in response.text
    assert "[[" not in response.text
    assert response.result.score >= linter.check(_record()).score
    assert response.changes and all(c.kind == "llm" for c in response.changes)
    assert any(c.rule == "off-platform" for c in response.changes)  # the phone sentence went
    assert sleep.calls == []


@pytest.mark.vcr("llm_success.yaml")
def test_personal_data_never_leaves_the_machine(linter: Linter, sleep: FakeSleep) -> None:
    client, sent = _capturing_client()
    _rewrite(linter, sleep, client)

    assert len(sent) == 1
    body = json.dumps(sent[0], ensure_ascii=False)
    for secret in ("Sam", "Tom", "07700 900123"):
        assert secret not in body
    assert "[[NAME_1]]" in body and "[[PHONE_1]]" in body
    assert "112-8846120-5518623" in body  # facts travel: the model must keep them
    roles = [m["role"] for m in sent[0]["messages"]]
    assert roles == ["system", "user"]
    assert sent[0]["model"] == SETTINGS.model


@pytest.mark.vcr("llm_rate_limited_then_ok.yaml")
def test_rate_limit_is_retried_after_the_servers_delay(linter: Linter, sleep: FakeSleep) -> None:
    response = _rewrite(linter, sleep)

    assert response.engine == "llm"
    assert sleep.calls == [1.0]  # Retry-After: 1


@pytest.mark.vcr("llm_server_errors.yaml")
def test_server_errors_end_in_the_offline_engine(linter: Linter, sleep: FakeSleep) -> None:
    response = _rewrite(linter, sleep)

    assert response.engine == "offline"
    assert response.result.compliant
    assert len(sleep.calls) == SETTINGS.max_retries  # 3 attempts, 2 waits
    assert all(0 < s <= SETTINGS.max_backoff for s in sleep.calls)
    assert sleep.calls[1] > sleep.calls[0]  # exponential
    assert any("HTTP 503" in n for n in response.notes)


@pytest.mark.vcr("llm_unauthorized.yaml")
def test_a_bad_key_is_not_retried(linter: Linter, sleep: FakeSleep) -> None:
    response = _rewrite(linter, sleep)

    assert response.engine == "offline"
    assert sleep.calls == []
    assert any("HTTP 401" in n for n in response.notes)


@pytest.mark.vcr("llm_policy_then_fixed.yaml")
def test_a_rewrite_that_breaks_policy_gets_one_more_try(linter: Linter, sleep: FakeSleep) -> None:
    client, sent = _capturing_client()
    response = _rewrite(linter, sleep, client)

    assert response.engine == "llm"
    assert "www." not in response.text
    assert len(sent) == 2
    retry = sent[1]["messages"]
    assert [m["role"] for m in retry] == ["system", "user", "assistant", "user"]
    assert "external-link" in retry[-1]["content"]
    assert "Sam" not in json.dumps(sent[1], ensure_ascii=False)


@pytest.mark.vcr("llm_lost_fact_then_fixed.yaml")
def test_a_rewrite_that_loses_a_fact_gets_one_more_try(linter: Linter, sleep: FakeSleep) -> None:
    client, sent = _capturing_client()
    response = _rewrite(linter, sleep, client)

    assert response.engine == "llm"
    assert "112-8846120-5518623" in response.text
    assert "112-8846120-5518623" in sent[1]["messages"][-1]["content"]


@pytest.mark.vcr("llm_garbage_twice.yaml")
def test_unusable_answers_twice_fall_back_to_offline(linter: Linter, sleep: FakeSleep) -> None:
    # First an invented placeholder, then an answer in German.
    response = _rewrite(linter, sleep)

    assert response.engine == "offline"
    assert response.result.compliant
    assert "112-8846120-5518623" in response.text
    assert any("did not pass the checks" in n for n in response.notes)


@pytest.mark.vcr("llm_french_success.yaml")
def test_french_draft_keeps_its_names_and_language(linter: Linter, sleep: FakeSleep) -> None:
    record = InputRecord(text=FR_DRAFT, buyer_message=FR_BUYER, lang="fr")
    response = _rewrite(linter, sleep, record=record)

    assert response.engine == "llm"
    assert response.text.startswith("Bonjour Claire,")
    assert response.text.endswith("Hugo")
    assert response.result.lang == "fr"


def _timing_out_client(calls: list[int]) -> openai.OpenAI:
    http = _http_module()

    def handler(request: Any) -> Any:
        calls.append(1)
        raise http.ReadTimeout("timed out", request=request)

    return openai.OpenAI(
        api_key="sk-test", max_retries=0, http_client=http.Client(transport=http.MockTransport(handler))
    )


def test_timeouts_are_retried_with_backoff_then_fall_back(linter: Linter, sleep: FakeSleep) -> None:
    calls: list[int] = []
    response = _rewrite(linter, sleep, _timing_out_client(calls))

    assert response.engine == "offline"
    assert len(calls) == SETTINGS.max_retries + 1
    assert len(sleep.calls) == SETTINGS.max_retries
    assert any("timed out" in n for n in response.notes)


def test_the_time_budget_bounds_every_retry(sleep: FakeSleep) -> None:
    calls: list[int] = []
    settings = LLMSettings(model="m", api_key="k", max_retries=10, backoff=1.0, total_timeout=2.5)
    chat = ChatClient(settings, client=_timing_out_client(calls), sleep=sleep, clock=sleep.clock)

    with pytest.raises(LLMUnavailable):
        chat.complete([{"role": "user", "content": "hi"}])
    # Waits of about 1 s and 2 s do not fit in 2.5 s: the loop stops early.
    assert len(calls) < settings.max_retries + 1
    assert sum(sleep.calls) < settings.total_timeout


def test_engine_llm_without_a_model_is_a_usage_error(linter: Linter) -> None:
    with pytest.raises(ConfigError, match="REPLYLINT_LLM_MODEL"):
        rewrite(_record(), linter=linter, options=RewriteOptions(engine="llm", llm=LLMSettings()))


def test_auto_without_a_model_uses_the_offline_engine(linter: Linter) -> None:
    response = rewrite(_record(), linter=linter, options=RewriteOptions(engine="auto", llm=LLMSettings()))
    assert response.engine == "offline"
    assert response.notes == []


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPLYLINT_LLM_MODEL", "llama3.1:8b")
    monkeypatch.setenv("REPLYLINT_LLM_BASE_URL", "http://127.0.0.1:11434/v1")
    monkeypatch.setenv("REPLYLINT_LLM_TIMEOUT", "7.5")
    settings = LLMSettings.from_env(base=LLMSettings(model="gpt-4o-mini", temperature=0.4))

    assert settings.model == "llama3.1:8b"
    assert settings.base_url == "http://127.0.0.1:11434/v1"
    assert settings.timeout == 7.5
    assert settings.temperature == 0.4  # the base stays where the environment is silent
    assert "api_key" not in repr(settings)


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"modle": "x"}, "did you mean 'model'"),
        ({"timeout": "soon"}, "invalid value"),
        ({"max-retries": -1}, "invalid"),
    ],
)
def test_bad_llm_settings_name_the_key(table: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        LLMSettings.from_mapping(table, source="pyproject.toml: [tool.replylint.llm]")


def test_llm_table_in_pyproject_is_read(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from replylint.rewrite.llm import load_settings

    (tmp_path / "pyproject.toml").write_text(
        '[tool.replylint.llm]\nmodel = "qwen2.5"\nbase-url = "http://127.0.0.1:8080/v1"\n', encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    settings = load_settings()
    assert (settings.model, settings.base_url) == ("qwen2.5", "http://127.0.0.1:8080/v1")


CleanCase = tuple[str, str, str]


@pytest.mark.parametrize(
    ("answer", "lang", "expected"),
    [
        ("```\nHi Sam, thanks!\n```", "en", "Hi Sam, thanks!"),
        ("Here is the rewritten reply:\n\nHi Sam, thanks!", "en", "Hi Sam, thanks!"),
        ("Voici la réponse réécrite :\nBonjour, merci !", "fr", "Bonjour, merci !"),
        ('"Hi Sam, thanks!"', "en", "Hi Sam, thanks!"),
        ("Dear Sam:\nThanks for your message.", "en", "Dear Sam:\nThanks for your message."),
    ],
)
def test_the_answer_is_the_reply_without_wrapping(answer: str, lang: str, expected: str) -> None:
    assert clean_answer(answer, lang) == expected


def test_a_model_that_answers_nothing_is_unavailable(sleep: FakeSleep) -> None:
    http = _http_module()

    def handler(request: Any) -> Any:
        body = {"id": "x", "object": "chat.completion", "created": 0, "model": "m", "choices": []}
        return http.Response(200, json=body)

    client = openai.OpenAI(
        api_key="k", max_retries=0, http_client=http.Client(transport=http.MockTransport(handler))
    )
    chat = ChatClient(SETTINGS, client=client, sleep=sleep)
    with pytest.raises(LLMUnavailable, match="no message"):
        chat.complete([{"role": "user", "content": "hi"}])


Handler = Callable[[Any], Any]


def _queue_client(answers: list[tuple[str, str]]) -> tuple[openai.OpenAI, list[dict[str, Any]]]:
    """A client over a mock transport answering ``(content, finish_reason)`` in turn."""
    http = _http_module()
    sent: list[dict[str, Any]] = []

    def handler(request: Any) -> Any:
        sent.append(json.loads(request.read()))
        content, finish = answers[len(sent) - 1]
        body = {
            "id": f"chatcmpl-{len(sent)}",
            "object": "chat.completion",
            "created": 0,
            "model": "m",
            "choices": [
                {"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": finish}
            ],
        }
        return http.Response(200, json=body)

    transport = http.MockTransport(handler)
    return openai.OpenAI(api_key="k", max_retries=0, http_client=http.Client(transport=transport)), sent


def test_an_answer_cut_off_gets_one_more_try(linter: Linter, sleep: FakeSleep) -> None:
    good = (
        "Hi [[NAME_1]],\n\nI'm so sorry your mug arrived chipped; that's really disappointing. "
        "I've checked order 112-8846120-5518623 and I can send you a new mug today or refund you in full. "
        "Which would you prefer?\n\nBest,\n[[NAME_2]]"
    )
    client, sent = _queue_client([("Hi [[NAME_1]],\n\nI'm so sorry your mug", "length"), (good, "stop")])
    response = _rewrite(linter, sleep, client)

    assert response.engine == "llm"
    assert len(sent) == 2
    assert "cut off" in sent[1]["messages"][-1]["content"]
