"""The LLM engine: any OpenAI-compatible chat-completions endpoint.

Settings come from the configuration (``[tool.replylint.llm]``) or the environment::

    REPLYLINT_LLM_BASE_URL   https://api.openai.com/v1, http://localhost:11434/v1 (Ollama) …
    REPLYLINT_LLM_MODEL      gpt-4o-mini, llama3.1:8b …
    REPLYLINT_LLM_API_KEY    the key (local servers accept any)
    REPLYLINT_LLM_TIMEOUT    seconds per request (default 20)

The engine is used when a model is set. Transport trouble (timeouts, connection
errors, 429, 5xx) is retried a few times with exponential backoff, honouring
``Retry-After``, within an overall time budget; after that :class:`LLMUnavailable`
is raised and the caller falls back to the offline engine. Errors that a retry
cannot cure (a bad key, an unknown model) are not retried.
"""

from __future__ import annotations

import difflib
import logging
import os
import random
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from .data import locale

log = logging.getLogger(__name__)

ENV_PREFIX = "REPLYLINT_LLM_"

#: Status codes worth another try: timeout, conflict, rate limit, server errors.
RETRYABLE_STATUS = frozenset({408, 409, 429, 500, 502, 503, 504})


class LLMUnavailable(Exception):
    """The model could not give an answer (after retries); use the offline engine."""


class IncompleteAnswer(Exception):
    """The model answered, but stopped early (too long, filtered): worth one more try."""

    def __init__(self, reason: str, content: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.content = content


@dataclass(frozen=True)
class LLMSettings:
    """Where the model is and how patient to be with it."""

    model: str | None = None
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    timeout: float = 20.0  # seconds per request
    max_retries: int = 2  # extra attempts per request on transport trouble
    backoff: float = 0.5  # first wait, doubled each retry
    max_backoff: float = 4.0  # cap on one wait (also on Retry-After)
    total_timeout: float = 45.0  # budget for every request of one rewrite
    temperature: float = 0.2
    max_tokens: int = 1024
    extra_headers: Mapping[str, str] = field(default_factory=dict, repr=False)

    @property
    def configured(self) -> bool:
        return bool(self.model)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], *, source: str = "configuration") -> LLMSettings:
        """Settings from a ``[tool.replylint.llm]`` table (keys as the field names)."""
        if not isinstance(data, Mapping):
            raise ConfigError(f"{source}: must be a table")
        known = set(cls.__dataclass_fields__)
        values: dict[str, Any] = {}
        for key, value in data.items():
            name = str(key).replace("-", "_")
            if name not in known:
                close = difflib.get_close_matches(name, sorted(known), n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                raise ConfigError(f"{source} {key}: unknown key{hint}")
            values[name] = _coerce(name, value, source)
        return cls(**values)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, base: LLMSettings | None = None) -> LLMSettings:
        """``base`` (or defaults) overridden by ``REPLYLINT_LLM_*`` variables."""
        env = os.environ if env is None else env
        settings = base or cls()
        updates: dict[str, Any] = {}
        for name in (
            "model",
            "base_url",
            "api_key",
            "timeout",
            "max_retries",
            "total_timeout",
            "temperature",
        ):
            raw = env.get(ENV_PREFIX + name.upper())
            if raw is not None and raw.strip():
                updates[name] = _coerce(name, raw.strip(), f"${ENV_PREFIX}{name.upper()}")
        return replace(settings, **updates) if updates else settings


def _coerce(name: str, value: Any, source: str) -> Any:
    numeric = {
        "timeout": float,
        "backoff": float,
        "max_backoff": float,
        "total_timeout": float,
        "temperature": float,
    }
    try:
        if name in numeric:
            number = numeric[name](value)
            if number < 0:
                raise ValueError
            return number
        if name in ("max_retries", "max_tokens"):
            count = int(value)
            if count < 0:
                raise ValueError
            return count
        if name == "extra_headers":
            return dict(value)
        return None if value is None else str(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{source}: invalid value {value!r} for llm setting {name!r}") from None


def settings_from_config(config: Any) -> LLMSettings:
    """``[tool.replylint.llm]`` of a loaded configuration, overridden by the environment."""
    table = getattr(getattr(config, "settings", None), "llm", None)
    where = f"{getattr(config, 'path', None) or 'configuration'}: [tool.replylint.llm]"
    base = LLMSettings.from_mapping(table, source=where) if table else LLMSettings()
    return LLMSettings.from_env(base=base)


def load_settings(config_path: str | None = None) -> LLMSettings:
    """The LLM settings that apply here: the configuration nearest to the current
    directory (or ``config_path``), then the environment. The configuration is read
    once per process and place; the environment every time."""
    return LLMSettings.from_env(base=_configured(config_path, os.getcwd()))


@cache
def _configured(config_path: str | None, cwd: str) -> LLMSettings:
    from ..config import load_config

    config = load_config(config_path) if config_path else load_config(start=Path(cwd))
    table = getattr(config.settings, "llm", None)
    where = f"{config.path or 'configuration'}: [tool.replylint.llm]"
    return LLMSettings.from_mapping(table, source=where) if table else LLMSettings()


Sleep = Callable[[float], None]


class ChatClient:
    """A thin, retrying wrapper around ``openai.OpenAI().chat.completions``."""

    def __init__(
        self,
        settings: LLMSettings,
        *,
        client: Any = None,
        sleep: Sleep = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not settings.configured:
            raise ConfigError(
                "no LLM configured: set REPLYLINT_LLM_MODEL (and REPLYLINT_LLM_BASE_URL, "
                "REPLYLINT_LLM_API_KEY) or [tool.replylint.llm] in the configuration"
            )
        self.settings = settings
        self._client = client
        self._sleep = sleep
        self.clock = clock
        self._rng = random.Random(0)  # jitter, reproducible in tests
        self.attempts = 0  # requests sent, for logs and tests

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = _openai_client(
                self.settings.base_url,
                self.settings.api_key,
                tuple(sorted(self.settings.extra_headers.items())),
            )
        return self._client

    def complete(self, messages: list[dict[str, str]], *, deadline: float | None = None) -> str:
        """The model's answer to ``messages``; raises :class:`LLMUnavailable`."""
        import openai

        s = self.settings
        deadline = deadline if deadline is not None else self.clock() + s.total_timeout
        last_error = "no attempt made"
        for attempt in range(s.max_retries + 1):
            remaining = deadline - self.clock()
            if remaining <= 0.05:
                raise LLMUnavailable(f"time budget spent ({last_error})")
            self.attempts += 1
            wait: float | None = None
            try:
                response = self.client.chat.completions.create(
                    model=s.model,
                    messages=messages,
                    temperature=s.temperature,
                    max_tokens=s.max_tokens,
                    timeout=min(s.timeout, remaining),
                    extra_headers=dict(s.extra_headers) or None,
                )
                return _content(response)
            except openai.APITimeoutError:
                last_error = "timed out"
            except openai.APIConnectionError as exc:
                last_error = f"connection failed: {exc.__class__.__name__}"
            except openai.APIStatusError as exc:
                last_error = f"HTTP {exc.status_code}"
                if exc.status_code not in RETRYABLE_STATUS:
                    raise LLMUnavailable(f"{last_error}: {_short(exc.message)}") from None
                wait = _retry_after(exc.response.headers if exc.response is not None else {})
            except openai.OpenAIError as exc:  # malformed answer and the like
                raise LLMUnavailable(f"{exc.__class__.__name__}: {_short(str(exc))}") from None
            except ValueError as exc:  # a 200 whose body is not JSON: the client raises JSONDecodeError
                raise LLMUnavailable(f"the answer is not JSON: {_short(str(exc))}") from None
            if attempt == s.max_retries:
                break
            delay = min(s.max_backoff, wait if wait is not None else s.backoff * 2**attempt)
            delay *= 1.0 if wait is not None else 0.75 + self._rng.random() / 2
            if self.clock() + delay >= deadline:
                break
            log.info("LLM request failed (%s); retrying in %.2f s", last_error, delay)
            self._sleep(delay)
        raise LLMUnavailable(f"gave up after {self.attempts} attempt(s): {last_error}")


@cache
def _openai_client(base_url: str | None, api_key: str | None, headers: tuple[tuple[str, str], ...]) -> Any:
    """One client (one connection pool) per endpoint, shared by every rewrite.
    Retries are ours (bounded, logged), not the client's."""
    import openai

    return openai.OpenAI(
        base_url=base_url or None,
        # Local servers (Ollama, llama.cpp, vLLM) need no key, but the client wants one.
        api_key=api_key or "unused",
        max_retries=0,
        default_headers=dict(headers) or None,
    )


#: Why a model stopped that makes its text unusable as a reply.
_CUT_OFF = {"length": "the answer was cut off", "content_filter": "the answer was filtered"}


def _content(response: Any) -> str:
    try:
        choice = response.choices[0]
        content = choice.message.content
    except (AttributeError, IndexError, TypeError):
        raise LLMUnavailable("the answer has no message") from None
    if not isinstance(content, str) or not content.strip():
        raise LLMUnavailable("the answer is empty")
    reason = _CUT_OFF.get(getattr(choice, "finish_reason", None) or "")
    if reason:
        raise IncompleteAnswer(reason, content)
    return content


def _retry_after(headers: Mapping[str, str]) -> float | None:
    for name in ("retry-after-ms", "retry-after"):
        value = headers.get(name)
        if value is None:
            continue
        try:
            seconds = float(value)
        except ValueError:
            return None
        return seconds / 1000 if name.endswith("ms") else seconds
    return None


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


_FENCE = re.compile(r"^\s*```[\w-]*\s*\n(?P<body>.*?)\n\s*```\s*$", re.DOTALL)
_QUOTES = ('"', "“", "„", "«", "'")


def clean_answer(answer: str, lang: str) -> str:
    """The reply itself: without a code fence, wrapping quotes or a line where the
    model talks about its answer ("Here is the rewritten reply:")."""
    text = answer.strip()
    m = _FENCE.match(text)
    if m:
        text = m.group("body").strip()
    preambles = tuple(p.lower() for p in (*locale(lang).preambles, *locale("en").preambles))
    lines = text.split("\n")
    while lines:
        first = lines[0].strip().lower()
        if first and first.endswith(":") and first.startswith(preambles) and len(first.split()) <= 10:
            lines.pop(0)
            while lines and not lines[0].strip():
                lines.pop(0)
            continue
        break
    text = "\n".join(lines).strip()
    if (
        len(text) >= 2
        and text[0] in _QUOTES
        and text[-1] in ('"', "”", "“", "»", "'")
        and text.count(text[0]) <= 2
    ):
        text = text[1:-1].strip()
    return text
