"""Run Aequitas on the equity report's single-attribute rate comparisons.

    python aequitas_peer.py EPISODES.csv [--bare]

By default Aequitas's significance mode runs; ``--bare`` times only its crosstabs and
disparities (``check_significance=False``), the cheapest form of the same comparisons.

Runs inside the peer environment (``.venv-peer``), never the project's. For each rate
metric the episodes in its denominator become a frame whose ``score`` and
``label_value`` are the event (never seen, dropped out, ...), the form Aequitas
expects; each attribute's raw value is one group, because Aequitas has no
"select all that apply". Prints one JSON line of timings.
"""

from __future__ import annotations

import json
import sys
import time

START = time.perf_counter()

import pandas as pd  # noqa: E402
from aequitas.bias import Bias  # noqa: E402
from aequitas.group import Group  # noqa: E402

REQUIRED = {
    "episode_id",
    "client_id",
    "referral_date",
    "first_session_date",
    "end_date",
    "end_reason",
    "sessions_scheduled",
    "sessions_attended",
    "phq9_first",
    "phq9_last",
    "gad7_first",
    "gad7_last",
    "humility_mean",
    "alliance_mean",
}


def rate_frames(episodes: pd.DataFrame) -> dict[str, tuple[pd.Series, pd.Series]]:
    """Return, per rate metric, its denominator mask and event indicator."""
    seen = episodes["first_session_date"].notna()
    engaged = episodes["sessions_attended"].fillna(0) >= 1
    phq = episodes["phq9_first"].notna() & episodes["phq9_last"].notna()
    gad = episodes["gad7_first"].notna() & episodes["gad7_last"].notna()
    case = phq & gad & ((episodes["phq9_first"] >= 10) | (episodes["gad7_first"] >= 8))
    return {
        "never_seen_rate": (pd.Series(True, index=episodes.index), ~seen),
        "dropout_rate": (engaged, episodes["end_reason"] == "dropped_out"),
        "phq9_reliable_improvement_rate": (
            phq,
            episodes["phq9_first"] - episodes["phq9_last"] >= 6,
        ),
        "gad7_reliable_improvement_rate": (
            gad,
            episodes["gad7_first"] - episodes["gad7_last"] >= 4,
        ),
        "recovery_rate": (case, (episodes["phq9_last"] < 10) & (episodes["gad7_last"] < 8)),
    }


def main(path: str, *, bare: bool = False) -> int:
    """Time reading the file and Aequitas's crosstabs and disparities for every rate."""
    episodes = pd.read_csv(path, dtype={"episode_id": str, "client_id": str})
    attributes = [name for name in episodes.columns if name not in REQUIRED]
    for name in attributes:
        episodes[name] = episodes[name].fillna("not disclosed").astype(str)
    read_done = time.perf_counter()
    read_cpu = time.process_time()
    per_metric = {}
    for metric, (denominator, event) in rate_frames(episodes).items():
        started = time.perf_counter()
        frame = episodes.loc[denominator, attributes].copy()
        frame["score"] = event[denominator].astype(int).to_numpy()
        frame["label_value"] = frame["score"]
        crosstab, _ = Group().get_crosstabs(frame, attr_cols=attributes)
        references = {name: frame[name].value_counts().idxmax() for name in attributes}
        Bias().get_disparity_predefined_groups(
            crosstab,
            original_df=frame,
            ref_groups_dict=references,
            alpha=0.05,
            check_significance=not bare,
            mask_significance=not bare,
        )
        per_metric[metric] = round(time.perf_counter() - started, 3)
    finished = time.perf_counter()
    comparisons_cpu = time.process_time() - read_cpu
    print(
        json.dumps(
            {
                "rows": len(episodes),
                "attributes": attributes,
                "mode": "bare" if bare else "significance",
                "read_seconds": round(read_done - START, 3),
                "significance_seconds": round(finished - read_done, 3),
                # Processor time of the same step: what a busy machine changes least.
                "comparisons_cpu_seconds": round(comparisons_cpu, 3),
                "per_metric_seconds": per_metric,
                "total_seconds": round(finished - START, 3),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], bare="--bare" in sys.argv[2:]))
