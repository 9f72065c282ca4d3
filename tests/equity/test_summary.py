"""The plain-language sentences shared by the HTML report and the dashboard."""

from __future__ import annotations

import pytest

from attune.equity.report import MetricRow
from attune.equity.summary import describe_finding

pytestmark = pytest.mark.pure


def test_it_words_each_kind_of_finding_plainly() -> None:
    def row(
        metric: str, group: str, value: float, ratio: float | None, difference: float
    ) -> MetricRow:
        return MetricRow(
            metric,
            "language",
            group,
            100,
            value,
            value * 0.9,
            value * 1.1,
            "English",
            ratio,
            difference,
            0.001,
            0.01,
            True,
            False,
        )

    english = row("dropout_rate", "English", 0.2, 1.0, 0.0)
    spanish = row("dropout_rate", "Spanish", 0.38, 1.9, 0.18)
    sentence = describe_finding(spanish, english, 63)
    assert sentence.startswith(
        "Clients whose language includes Spanish left therapy early 1.9 times as often as "
        "clients whose language includes English (38.0%, 95% CI 34.2\N{EN DASH}41.8%, against 20.0%"
    )
    assert sentence.endswith("after accounting for 63 comparisons.")
    lower = row("humility_mean", "Spanish", 70.0, 0.9, -8.0)
    assert "8.0 points lower on average than" in describe_finding(lower, english, 63)
    wait = row("days_to_first_session", "Spanish", 21.0, 1.5, 7.0)
    assert "waited for a first session 1.5 times as long as" in describe_finding(wait, english, 9)
    from_zero = row("never_seen_rate", "Spanish", 0.05, None, 0.05)
    assert "were never seen after referral more often than" in describe_finding(
        from_zero, english, 2
    )
