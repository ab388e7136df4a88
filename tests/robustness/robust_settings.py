"""Hypothesis settings of the robustness tests: bounded work, so the suite keeps its budget.

Hypothesis runs a fixed, derandomised number of examples (fewer under ``CI=true``,
where two cores are shared); ``REPLYLINT_FUZZ_EXAMPLES`` raises it for a long local
hunt (``REPLYLINT_FUZZ_EXAMPLES=5000 pytest tests/robustness``).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_default = 60 if os.environ.get("CI", "").lower() in {"1", "true", "yes"} else 120
EXAMPLES = int(os.environ.get("REPLYLINT_FUZZ_EXAMPLES", _default))

#: Used as a decorator on each property test (not loaded as the global profile, which
#: would change the settings of every other test module in the same process).
ROBUST = settings(
    max_examples=EXAMPLES,
    deadline=None,  # a loaded machine makes per-example deadlines flaky; cost is tested apart
    derandomize=True,  # the same inputs on every run: a failure reproduces
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
    print_blob=True,
)
