"""Benchmark ``attune equity report`` end to end, and Aequitas on the same comparisons.

Run from the repository root with the project's interpreter:

    .venv/bin/python bench/equity/run.py [--episodes 1000000] [--runs 5] [--skip-peer]

1. Writes a deterministic synthetic episode file (``bench/equity/data/``), unless present.
2. Times the whole ``attune equity report`` process (start-up, reading, validation, all
   metrics for all attributes and one intersection, intervals, tests, Benjamini-Hochberg,
   suppression, JSON) under ``/usr/bin/time -v``, ``--runs`` times; quotes the median.
3. Builds a separate environment for the peer, Aequitas (``bench/equity/.venv-peer``),
   and times its significance mode on the same single-attribute rate comparisons.

Prints the figures and writes them to ``bench/equity/data/results.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
PEER_ENV = HERE / ".venv-peer"
PEER_PACKAGE = "aequitas==1.1.0"
SEED = 7
TIME = "/usr/bin/time"


def _episodes_file(count: int) -> Path:
    path = DATA / f"episodes-{count}-seed{SEED}.csv"
    if not path.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        from attune.equity.synthetic import write_episodes_csv

        started = time.perf_counter()
        write_episodes_csv(path, count, seed=SEED)
        print(f"wrote {path} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return path


def _field(report: str, pattern: str) -> str:
    match = re.search(pattern, report)
    if match is None:
        raise SystemExit(f"/usr/bin/time -v printed no {pattern!r}")
    return match[1]


def _timed(command: list[str]) -> dict[str, float | str]:
    """Run ``command`` under /usr/bin/time -v; return wall seconds, peak MiB and its output."""
    started = time.perf_counter()
    done = subprocess.run([TIME, "-v", *command], capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    peak_kib = int(_field(done.stderr, r"Maximum resident set size \(kbytes\): (\d+)"))
    user = float(_field(done.stderr, r"User time \(seconds\): ([\d.]+)"))
    system = float(_field(done.stderr, r"System time \(seconds\): ([\d.]+)"))
    return {
        "wall_s": round(wall, 3),
        "cpu_s": round(user + system, 3),
        "peak_mib": round(peak_kib / 1024, 1),
        "stdout": done.stdout,
    }


def _attune_runs(attune: Path, episodes: Path, runs: int) -> dict[str, object]:
    output = DATA / "report.json"
    command = [
        str(attune),
        "equity",
        "report",
        "--input",
        str(episodes),
        "--intersect",
        "gender,language",
        "--format",
        "json",
        "--output",
        str(output),
    ]
    _timed(command)  # warm the page cache so every counted run reads the file alike
    measured = [_timed(command) for _ in range(runs)]
    report = json.loads(output.read_text())
    return {
        "command": " ".join(command),
        "runs": [{k: v for k, v in run.items() if k != "stdout"} for run in measured],
        "median_wall_s": statistics.median(run["wall_s"] for run in measured),  # type: ignore[misc]
        "median_cpu_s": statistics.median(run["cpu_s"] for run in measured),  # type: ignore[misc]
        "max_peak_mib": max(run["peak_mib"] for run in measured),  # type: ignore[type-var]
        "n_episodes": report["n_episodes"],
        "rows": len(report["metrics"]),
        "tests": sum(row["p_value"] is not None for row in report["metrics"]),
    }


def _peer_python() -> Path:
    python = PEER_ENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(PEER_ENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", PEER_PACKAGE], check=True)
    return python


def _peer_run(episodes: Path) -> dict[str, object]:
    python = _peer_python()
    command = [str(python), "-W", "ignore", str(HERE / "aequitas_peer.py"), str(episodes)]
    measured = _timed(command)
    inner = json.loads(str(measured["stdout"]).strip().splitlines()[-1])
    return {
        "command": " ".join(command),
        "wall_s": measured["wall_s"],
        "cpu_s": measured["cpu_s"],
        "peak_mib": measured["peak_mib"],
        **inner,
    }


def main() -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-peer", action="store_true", help="time only attune")
    parser.add_argument(
        "--attune",
        type=Path,
        default=Path(sys.executable).parent / "attune",
        help="the attune command (default: beside this interpreter)",
    )
    arguments = parser.parse_args()

    episodes = _episodes_file(arguments.episodes)
    results: dict[str, object] = {
        "episodes_file": str(episodes),
        "episodes": arguments.episodes,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            # Other work on the machine slows every figure; the load says how busy it was.
            "load_average_before": os.getloadavg(),
        },
    }
    ours = _attune_runs(arguments.attune, episodes, arguments.runs)
    results["attune"] = ours
    print(
        f"attune: median wall {ours['median_wall_s']} s, cpu {ours['median_cpu_s']} s, "
        f"peak {ours['max_peak_mib']} MiB over {arguments.runs} runs; "
        f"{ours['rows']} rows, {ours['tests']} tests"
    )
    if not arguments.skip_peer:
        peer = _peer_run(episodes)
        results["aequitas"] = peer
        ratio = float(peer["wall_s"]) / float(ours["median_wall_s"])  # type: ignore[arg-type]
        significance = float(peer["significance_seconds"])  # type: ignore[arg-type]
        significance_ratio = significance / float(ours["median_wall_s"])  # type: ignore[arg-type]
        cpu_ratio = float(peer["cpu_s"]) / float(ours["median_cpu_s"])  # type: ignore[arg-type]
        results["ratio_wall"] = round(ratio, 1)
        results["ratio_cpu"] = round(cpu_ratio, 1)
        results["ratio_significance_only"] = round(significance_ratio, 1)
        print(
            f"aequitas: wall {peer['wall_s']} s (significance mode alone "
            f"{peer['significance_seconds']} s), peak {peer['peak_mib']} MiB; "
            f"per metric {peer['per_metric_seconds']}"
        )
        print(
            f"ratio: aequitas / attune = {ratio:.1f}x whole process, "
            f"{significance_ratio:.1f}x counting only its significance step, "
            f"{cpu_ratio:.1f}x in processor time"
        )
    DATA.mkdir(parents=True, exist_ok=True)
    (DATA / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
