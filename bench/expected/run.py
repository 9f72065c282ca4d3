"""Fit time of the expected-response engine at agency scale, on synthetic arrays (engine only).

Builds 250,000 synthetic clients with 1.75 million session check-ins between them (seven on
average, from one to thirteen each) and, beside them, a PHQ-9 and a GAD-7 history of the same
clients at one score in two check-ins, then times ``expected_response.fit`` for each instrument:
the work the nightly fit does after reading the rows.  Then times the alert-equity statistics
(``equity.alert_stats``) on the same 1.75 million check-ins: eight self-identified groups (one
client in ten in two), three signal kinds against three outcomes, nine reports.  Reading the rows
from the database is not timed here.  No database, no Django.

Usage: .venv/bin/python bench/expected/run.py [--clients 250000] [--checkins 1750000] [--repeat 3]
Prints one JSON line and appends it to bench/results/expected.jsonl.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))

from attune.equity import alert_stats  # noqa: E402
from attune.measures import expected_response as engine  # noqa: E402


def history(
    rng: np.random.Generator, spec: engine.InstrumentSpec, per_client: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Synthetic histories: each client's intake, then a noisy course towards improvement."""
    clients = np.repeat(np.arange(per_client.size), per_client)
    starts = np.concatenate(([0], np.cumsum(per_client)[:-1]))
    number = np.arange(clients.size) - np.repeat(starts, per_client)
    span = spec.high - spec.low
    intake = rng.uniform(spec.low + 0.2 * span, spec.high, per_client.size)
    if not spec.lower_is_better:
        intake = rng.uniform(spec.low + 0.4 * span, spec.high, per_client.size)
    gain = 0.4 * span * (1 - np.exp(-0.3 * number))
    direction = -1 if spec.lower_is_better else 1
    totals = intake[clients] + direction * gain * rng.uniform(0, 1, per_client.size)[clients]
    totals = np.clip(totals + rng.normal(0, 0.08 * span, clients.size), spec.low, spec.high)
    if spec.lower_is_better:
        totals = np.round(totals)
    totals[rng.random(clients.size) < 0.02] = np.nan  # a few could not be scored
    order = number.astype(np.int64)
    shuffled = rng.permutation(clients.size)  # rows come in any order
    return clients[shuffled], order[shuffled], totals[shuffled]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=250_000)
    parser.add_argument("--checkins", type=int, default=1_750_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=19)
    arguments = parser.parse_args()
    rng = np.random.default_rng(arguments.seed)
    mean = arguments.checkins / arguments.clients
    per_client = np.clip(np.round(rng.normal(mean, 3, arguments.clients)), 1, 2 * mean - 1)
    per_client = per_client.astype(np.int64)
    per_client[: abs(arguments.checkins - per_client.sum())] += np.sign(
        arguments.checkins - per_client.sum()
    )
    symptom = np.maximum(per_client // 2, 1)
    inputs = {
        "session-checkin": history(rng, engine.SPECS["session-checkin"], per_client),
        "phq9": history(rng, engine.SPECS["phq9"], symptom),
        "gad7": history(rng, engine.SPECS["gad7"], symptom),
    }
    timings: dict[str, list[float]] = {name: [] for name in inputs}
    fitted_bands = {}
    for _ in range(arguments.repeat):
        for name, arrays in inputs.items():
            started = time.perf_counter()
            result = engine.fit(engine.SPECS[name], *arrays)
            timings[name].append(time.perf_counter() - started)
            fitted_bands[name] = f"{sum(b.fitted for b in result.bands)}/{len(result.bands)}"
    equity_times = []
    rows = int(per_client.sum())
    client_of_row = np.repeat(np.arange(arguments.clients), per_client)
    group_of_client = rng.integers(0, 8, arguments.clients)
    second = rng.random(arguments.clients) < 0.1
    second_group = (group_of_client + 1 + rng.integers(0, 7, arguments.clients)) % 8
    names = [f"group {index}" for index in range(8)]
    both = second[client_of_row]
    codes = np.concatenate((group_of_client[client_of_row], second_group[client_of_row][both]))
    signals = []
    for kind in range(3):
        fired = rng.random(rows) < 0.04 + 0.02 * kind
        for outcome_rate in (0.05, 0.1, 0.2):
            followed = rng.random(rows) < outcome_rate
            signals.append(
                (np.concatenate((fired, fired[both])), np.concatenate((followed, followed[both])))
            )
    for _ in range(arguments.repeat):
        started = time.perf_counter()
        for fired, followed in signals:
            alert_stats.alert_equity(alert_stats.tally_arrays(codes, fired, followed, names))
        equity_times.append(time.perf_counter() - started)
    line = {
        "bench": "expected-response fit (engine only)",
        "clients": arguments.clients,
        "rows": {name: int(arrays[0].size) for name, arrays in inputs.items()},
        "best_seconds": {name: round(min(times), 3) for name, times in timings.items()},
        "median_seconds": {name: round(float(np.median(t)), 3) for name, t in timings.items()},
        "total_best_seconds": round(sum(min(times) for times in timings.values()), 3),
        "fitted_bands": fitted_bands,
        "alert_equity_nine_reports_best_seconds": round(min(equity_times), 3),
        "numpy": np.__version__,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average": [round(value, 2) for value in os.getloadavg()],
    }
    print(json.dumps(line))
    results = Path(__file__).resolve().parents[1] / "results"
    results.mkdir(exist_ok=True)
    with open(results / "expected.jsonl", "a", encoding="utf-8") as out:
        out.write(json.dumps(line) + "\n")


if __name__ == "__main__":
    main()
