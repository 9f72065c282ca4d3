"""The not-on-track reason: a new score beyond the tolerance band the agency's history expects.

Joins the one-alert-per-check-in model as one more rupture reason (``signals_rules.Reason``):
the signal code calls ``not_on_track`` once per stored response and adds what it returns to the
rule findings.  The band comes from the latest fitted version (``fits.latest_fits``); a band
fitted on too few clients falls back to the published reliable-change rule, which the existing
reasons already raise, so it adds nothing here.  The finding compares the client with the
expected course of clients who started where they did; it never ranks therapists.
"""

from __future__ import annotations

from collections.abc import Sequence

from attune.measures import expected_response as engine
from attune.measures import signals_rules
from attune.measures.fits import latest_fits
from attune.measures.signals_rules import Finding, ResponseFacts, RuleSettings


def spec_for(instrument: str, rules: RuleSettings) -> engine.InstrumentSpec | None:
    """Return the model's instrument for a response's instrument name, if it has one."""
    if instrument == rules.session_instrument:
        return engine.SPECS["session-checkin"]
    return engine.SPECS.get(instrument) if instrument != "session-checkin" else None


def fallback_change(spec: engine.InstrumentSpec, facts: ResponseFacts | None, rules) -> float:
    """The reliable change a published band uses: the instrument's own, or the agency's drop."""
    if not spec.lower_is_better:
        return float(rules.drop_from_baseline)
    threshold = facts.reliable_change_threshold if facts is not None else None
    return float(threshold) if threshold else spec.reliable_change


def not_on_track(
    facts: ResponseFacts,
    previous_totals: Sequence[float | None],
    rules: RuleSettings = signals_rules.DEFAULT_RULES,
    fits: dict[str, engine.InstrumentFit] | None = None,
) -> list[Finding]:
    """Return a not-on-track finding for this response, or nothing.

    Reads the fit in use (one query) for every response on a modelled instrument, whatever its
    history, so a check-in takes the same number of statements whether or not it raises one.
    """
    spec = spec_for(facts.instrument, rules)
    if spec is None:
        return []
    if fits is None:
        fits = latest_fits()
    rows = engine.course(
        spec,
        fits.get(spec.name),
        [*previous_totals, facts.total],
        reliable_change=fallback_change(spec, facts, rules),
    )
    row = rows[-1]
    if row is None or not row.off_track or not row.expectation.raises:
        return []
    expected = row.expectation
    # The short name ("PHQ-9"): the long title's words do not fit a 360 px signals table.
    title = spec.title
    side = "above" if spec.lower_is_better else "below"
    return [
        Finding(
            signals_rules.RUPTURE,
            signals_rules.NOT_ON_TRACK,
            f"{title}: {engine.show(row.total)} at score {row.score_number}, {side} the range "
            f"this agency's clients who started {expected.band_label} usually reach by now "
            f"(expected about {engine.show(expected.expected)}, "
            f"{engine.show(expected.lower)} to {engine.show(expected.upper)}).",
            {
                "total": row.total,
                "score_number": row.score_number,
                "expected": expected.expected,
                "lower": expected.lower,
                "upper": expected.upper,
                "intake_band": expected.band_label,
            },
        )
    ]
