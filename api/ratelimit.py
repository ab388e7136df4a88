"""Per-key rate limits, in memory, per worker process (the ``limits`` library).

A limit string is one or more ``N/period`` items separated by ``;``
(``20/second;1200/minute``); ``off`` disables limiting. The sliding-window
counter keeps a constant amount of memory per key and window.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage
from limits.strategies import SlidingWindowCounterRateLimiter

OFF = {"", "0", "off", "none", "false", "unlimited"}


def parse_limits(spec: str) -> list[RateLimitItem]:
    """The limits in ``spec``; an empty list when limiting is off."""
    if spec.strip().lower() in OFF:
        return []
    try:
        return list(parse_many(spec))
    except ValueError:
        raise ValueError(
            f"rate_limit {spec!r} is not understood; write e.g. '1200/minute' or "
            "'20/second;1200/minute', or 'off'"
        ) from None


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    limit: RateLimitItem | None = None
    retry_after: int = 0  # seconds


class RateLimiter:
    """Decides whether a client may spend ``cost`` more units now."""

    def __init__(self, spec: str) -> None:
        self.limits = parse_limits(spec)
        self._storage = MemoryStorage()
        self._limiter = SlidingWindowCounterRateLimiter(self._storage)

    @property
    def enabled(self) -> bool:
        return bool(self.limits)

    def hit(self, client: str, cost: int = 1) -> Verdict:
        """Spend ``cost`` units of every limit, or none when any limit is exhausted."""
        # A request larger than a whole window could never pass: charge it the
        # window's full amount instead of refusing it for ever.
        charges = [(item, max(1, min(cost, item.amount))) for item in self.limits]
        for item, units in charges:
            if not self._limiter.test(item, client, cost=units):
                stats = self._limiter.get_window_stats(item, client)
                wait = max(1, math.ceil(stats.reset_time - time.time()))
                return Verdict(False, item, min(wait, item.get_expiry()))
        for item, units in charges:
            self._limiter.hit(item, client, cost=units)
        return Verdict(True)

    def close(self) -> None:
        timer = getattr(self._storage, "timer", None)
        if timer is not None:
            timer.cancel()
