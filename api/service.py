"""The one linter of a worker process, loaded in the background and used off the event loop.

Loading the rules and the five language pipelines takes seconds; it runs on the
lint thread, started by the application's lifespan, so the port answers ``/healthz``
at once and ``/readyz`` says when the engine is warm. Requests that arrive
before that wait for it (within the request timeout).

Linting is CPU work under the GIL: a second thread would not lint faster, so jobs
run one at a time, on that one thread (in spaCy memory zones), while the event loop
keeps accepting and answering. A job whose request timed out while it queued is skipped. Rewrites,
which may wait seconds for an LLM, start in turn and then run beside the queue.

Before the first request, every rule's examples are linted once in each warmed
language, so the matchers the engine builds on first use are built at start-up
and the first replies are as fast as the rest.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import threading
import time
import weakref
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import anyio
import anyio.to_thread

from replylint.engine import Linter, LintOptions
from replylint.errors import InputError, ReplylintError, TooLargeError
from replylint.nlp import in_use, recycle_count
from replylint.schema import InputRecord, RuleInfo

from .errors import ServiceUnavailable
from .settings import Settings

log = logging.getLogger("replylint.api")

T = TypeVar("T")


#: Languages whose examples a linter has already run (once per process is enough).
_exercised: weakref.WeakKeyDictionary[Linter, set[str]] = weakref.WeakKeyDictionary()


class _Skipped(Exception):
    """The request gave up before its job started."""


class LintService:
    """Owns the process's :class:`~replylint.engine.Linter` and runs work on it."""

    def __init__(self, settings: Settings, linter: Linter | None = None) -> None:
        self.settings = settings
        self._linter = linter
        self._error: str | None = None
        self._done = threading.Event()
        self._loaded: asyncio.Event | None = None
        self._engine = threading.Lock()  # one linting job at a time
        # Queued jobs (and the loading) run on this one thread: glibc gives each thread
        # that allocates its own heap arena, and the same work spread over a pool's
        # threads kept ~10 MB more per 10,000 requests in memory (docs/api.md).
        self._lane = ThreadPoolExecutor(max_workers=1, thread_name_prefix="replylint-lint")
        self._rules: list[RuleInfo] | None = None
        self._frozen_at = 0  # pipeline rebuilds when the engine was last frozen
        self.load_seconds: float | None = None

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> None:
        """Begin loading in a thread (call from the event loop, in the lifespan)."""
        loop = asyncio.get_running_loop()
        self._loaded = asyncio.Event()

        def load() -> None:
            started = time.perf_counter()
            try:
                linter = self._linter or Linter(options=LintOptions(max_chars=self.settings.max_text_chars))
                with self._engine:
                    linter.warm(self.settings.warm_languages)
                    examples = self._exercise(linter, self.settings.warm_languages)
                    self._freeze()
                self._rules = [linter.catalogue.rule_info(r) for r in linter.catalogue.rules.values()]
                self._linter = linter
                self.load_seconds = time.perf_counter() - started
                log.info(
                    "engine ready in %.1f s: %d rules, languages %s, %d rule examples run",
                    self.load_seconds,
                    len(self._rules),
                    ", ".join(self.settings.warm_languages) or "none warmed",
                    examples,
                )
            except Exception as exc:  # the process stays up and says why in /readyz
                self._error = f"{type(exc).__name__}: {exc}"
                log.error("the engine failed to load: %s", self._error, exc_info=exc)
            finally:
                self._done.set()
                if self._loaded is not None and not loop.is_closed():
                    loop.call_soon_threadsafe(self._loaded.set)

        self._lane.submit(load)

    def _freeze(self) -> None:
        """Move the warm engine out of the garbage collector's sight (``gc.freeze``): a
        full collection walked its ~160,000 objects, ~100 ms, on one request in ~140.
        After a pipeline was rebuilt, the old one is unfrozen and collected first (it
        holds reference cycles). Called on the lint thread, between jobs."""
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        self._frozen_at = recycle_count()

    def close(self) -> None:
        """Stop the lint thread once its current job is done (the lifespan's end)."""
        self._lane.shutdown(wait=False, cancel_futures=True)
        gc.unfreeze()  # what the engine froze is the collector's again

    @staticmethod
    def _exercise(linter: Linter, langs: Iterable[str]) -> int:
        wanted = set(langs) - _exercised.setdefault(linter, set())
        if not wanted:
            return 0
        _exercised[linter] |= wanted
        return LintService._lint_examples(linter, wanted)

    @staticmethod
    def _lint_examples(linter: Linter, wanted: set[str]) -> int:
        """Lint every rule example of the warmed languages, as written and as a buyer
        message, so the matchers the engine builds on first use are built now; the
        language detector loads here too."""
        done = 0
        for rule in linter.catalogue.rules.values():
            for example in (*rule.examples.fires, *rule.examples.passes):
                if example.lang not in wanted:
                    continue
                buyer = example.buyer_message or example.text
                for record in (
                    {"text": example.text, "lang": example.lang, "marketplace": example.marketplace},
                    {"text": example.text, "buyer_message": buyer, "marketplace": example.marketplace},
                ):
                    try:
                        linter.check(record)
                    except ReplylintError:
                        continue  # an example the API would refuse too (e.g. empty text)
                    done += 1
        return done

    def wait_ready(self, timeout: float | None = None) -> bool:
        """Block until loading finished (for tests and the serve command)."""
        return self._done.wait(timeout)

    @property
    def ready(self) -> bool:
        return self._done.is_set() and self._error is None

    @property
    def error(self) -> str | None:
        return self._error

    # -- work ---------------------------------------------------------------------------------

    async def linter(self) -> Linter:
        if not self._done.is_set():
            if self._loaded is None:
                raise ServiceUnavailable("the engine has not been started", code="not-ready")
            await self._loaded.wait()
        if self._error is not None or self._linter is None:
            raise ServiceUnavailable(f"the engine failed to load: {self._error}", code="engine-failed")
        return self._linter

    async def run(self, fn: Callable[[Linter], T], *, queued: bool = True) -> T:
        """``fn(linter)`` in a worker thread, after the jobs before it.

        A queued job runs alone, on the lint thread; one that is not (a rewrite, which
        may wait seconds for an LLM) starts in turn and then runs beside the queue. The request timeout
        may abandon the wait; a job that has not started by then is skipped.
        """
        linter = await self.linter()
        abandoned = threading.Event()

        def job() -> T:
            # in_use: a rewrite holds Docs across its linter calls; no pipeline is
            # recycled under it (replylint.nlp bounds each language's vocabulary). A
            # queued job returns plain records and keeps no Doc: it runs in memory
            # zones, which free its texts' strings when it ends.
            with self._engine:
                if abandoned.is_set():
                    raise _Skipped
                if queued:
                    try:
                        with in_use(zone=True):
                            return fn(linter)
                    finally:
                        if recycle_count() != self._frozen_at:
                            self._freeze()
            with in_use():
                return fn(linter)

        try:
            if queued:
                return await asyncio.get_running_loop().run_in_executor(self._lane, job)
            return await anyio.to_thread.run_sync(job, abandon_on_cancel=True)
        except BaseException:
            abandoned.set()
            raise

    async def rules(self) -> list[RuleInfo]:
        await self.linter()
        assert self._rules is not None
        return self._rules

    # -- request checks -----------------------------------------------------------------------

    def check_sizes(self, record: InputRecord, where: str = "") -> None:
        """413 for a text over the limit, before any work is done on it."""
        limit = self.settings.max_text_chars
        for name in ("text", "buyer_message"):
            value = getattr(record, name)
            if isinstance(value, str) and len(value) > limit:
                raise TooLargeError(
                    f"{where}{name} has {len(value):,} characters; this server accepts at most {limit:,} "
                    "(REPLYLINT_MAX_TEXT_CHARS)"
                )

    def selection(self, linter: Linter, names: str | None, option: str) -> frozenset[str] | None:
        """Rule ids, aliases or families from a comma-separated query parameter."""
        if names is None:
            return None
        chosen = frozenset(n.strip() for n in names.split(",") if n.strip())
        catalogue = linter.catalogue
        known: Iterable[str] = (*catalogue.rules, *catalogue.aliases, *catalogue.families, "ALL")
        unknown = sorted(chosen - set(known))
        if unknown:
            raise InputError(
                f"{option}: unknown rule or family {', '.join(unknown)} (see GET /v1/rules)",
                code="unknown-rule",
            )
        return chosen
