"""Every triage signal's embedded examples: the signal is found in each `fires`
example and not in any `passes` example (a signal file is its own test suite)."""

from __future__ import annotations

import pytest

from replylint.catalogue import Example
from replylint.engine import Analysis, Linter, default_linter
from replylint.triage import Signal, find_signals, triage_data

SIGNALS = triage_data(default_linter().catalogue).signals
CASES = [(s, ex) for s in SIGNALS.values() for ex in [*s.examples.fires, *s.examples.passes]]


def _ids() -> list[str]:
    out = []
    for signal, ex in CASES:
        kind = "fires" if ex in signal.examples.fires else "passes"
        out.append(f"{signal.id}-{kind}-{ex.lang}-{len(out)}")
    return out


@pytest.mark.parametrize(("signal", "example"), CASES, ids=_ids())
def test_signal_is_found_exactly_in_its_firing_examples(
    linter: Linter, signal: Signal, example: Example
) -> None:
    scope = "buyer" if "buyer" in signal.scope else "reply"
    analysis = Analysis(
        example.text,
        example.lang,
        linter.catalogue.profile("amazon"),
        linter.catalogue,
        repair_spelling=scope == "buyer",  # as a buyer's message is read
    )
    found = {f.signal.id for f in find_signals(analysis, scope)}
    if example in signal.examples.fires:
        assert signal.id in found, f"{signal.id} not found in {example.text!r} (found {sorted(found)})"
    else:
        assert signal.id not in found, f"{signal.id} found in {example.text!r}"


@pytest.mark.parametrize("signal_id", sorted(SIGNALS))
def test_every_signal_has_examples_both_ways_in_every_language(signal_id: str) -> None:
    signal = SIGNALS[signal_id]
    for lang in signal.languages:
        fires = {ex.lang for ex in signal.examples.fires}
        passes = {ex.lang for ex in signal.examples.passes}
        assert lang in fires and lang in passes, f"{signal_id}: {lang} needs a firing and a passing example"
