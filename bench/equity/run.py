"""Benchmark ``attune equity report`` end to end, and Aequitas on the same comparisons.

Run from the repository root with the project's interpreter:

    .venv/bin/python bench/equity/run.py [--episodes 1000000] [--runs 5] [--rounds 3]
        [--peer-python PATH] [--peer-significance] [--skip-peer]
    .venv/bin/python bench/equity/run.py --smoke

1. Writes a deterministic synthetic episode file (``bench/equity/data/``), unless present.
2. Each round times the whole ``attune equity report`` process (start-up, reading,
   validation, all metrics for all attributes and one intersection, intervals, tests,
   Benjamini-Hochberg, suppression, JSON) under ``/usr/bin/time -v``, ``--runs`` times (the
   median is quoted), then, right after, the peer once: Aequitas's bare crosstabs and
   disparities on the same single-attribute rate comparisons (``--peer-significance``: its
   significance mode as well). Each round's ratio pairs figures taken moments apart, so a
   busy machine slows both sides of it.
3. The peer runs in its own environment: ``--peer-python``, or ``bench/equity/.venv-peer``,
   built with pip the first time.

``--smoke`` runs everything but the peer on 2,000 episodes in a temporary directory, once, and
checks the report has rows: a check that the benchmark still runs, not a measurement.

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
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
PEER_ENV = HERE / ".venv-peer"
PEER_PACKAGE = "aequitas==1.1.0"
SEED = 7
TIME = "/usr/bin/time"


def _episodes_file(count: int, data: Path = DATA) -> Path:
    path = data / f"episodes-{count}-seed{SEED}.csv"
    if not path.exists():
        data.mkdir(parents=True, exist_ok=True)
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


def _attune_runs(
    attune: Path, episodes: Path, runs: int, data: Path = DATA, *, warm: bool = True
) -> dict[str, object]:
    output = data / "report.json"
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
    if warm:
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


def _peer_python(python: Path | None = None) -> Path:
    if python is not None:
        return python
    python = PEER_ENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(PEER_ENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", PEER_PACKAGE], check=True)
    return python


def _peer_run(
    episodes: Path, *, bare: bool = False, python: Path | None = None
) -> dict[str, object]:
    """Time Aequitas on ``episodes``: its significance mode, or (``bare``) crosstabs and
    disparities alone; ``comparisons_seconds`` excludes start-up and reading the file."""
    command = [str(_peer_python(python)), "-W", "ignore", str(HERE / "aequitas_peer.py")]
    command += [str(episodes), *(["--bare"] if bare else [])]
    measured = _timed(command)
    inner = json.loads(str(measured["stdout"]).strip().splitlines()[-1])
    return {
        "command": " ".join(command),
        "wall_s": measured["wall_s"],
        "cpu_s": measured["cpu_s"],
        "peak_mib": measured["peak_mib"],
        "comparisons_seconds": inner["significance_seconds"],
        **inner,
    }


def _round(arguments: argparse.Namespace, episodes: Path) -> dict[str, object]:
    """One paired round: Attune ``--runs`` times, then the peer right after."""
    load = os.getloadavg()
    ours = _attune_runs(arguments.attune, episodes, arguments.runs)
    result: dict[str, object] = {"load_average_before": load, "attune": ours}
    print(
        f"attune: median wall {ours['median_wall_s']} s, cpu {ours['median_cpu_s']} s, "
        f"peak {ours['max_peak_mib']} MiB over {arguments.runs} runs; "
        f"{ours['rows']} rows, {ours['tests']} tests (load before {load[0]:.1f})"
    )
    if arguments.skip_peer:
        return result
    modes = [True, False] if arguments.peer_significance else [True]
    for bare in modes:
        peer = _peer_run(episodes, bare=bare, python=arguments.peer_python)
        name = "aequitas_bare" if bare else "aequitas_significance"
        comparisons = float(peer["comparisons_seconds"])  # type: ignore[arg-type]
        ratio = float(ours["median_wall_s"]) / comparisons  # type: ignore[arg-type]
        comparisons_cpu = float(peer["comparisons_cpu_seconds"])  # type: ignore[arg-type]
        cpu_ratio = float(ours["median_cpu_s"]) / comparisons_cpu  # type: ignore[arg-type]
        result[name] = peer
        result[f"attune_over_{name}_comparisons"] = round(ratio, 3)
        result[f"attune_over_{name}_comparisons_cpu"] = round(cpu_ratio, 3)
        print(
            f"{name}: process wall {peer['wall_s']} s, its comparisons alone "
            f"{comparisons} s ({comparisons_cpu} s cpu), peak {peer['peak_mib']} MiB; "
            f"attune whole process / its comparisons = {ratio:.3f} wall, {cpu_ratio:.3f} cpu"
        )
    result["load_average_after"] = os.getloadavg()
    return result


def _smoke(arguments: argparse.Namespace) -> int:
    """Run the whole benchmark on a tiny file, once, without the peer; check it reports."""
    with tempfile.TemporaryDirectory(prefix="attune-equity-smoke-") as directory:
        data = Path(directory)
        episodes = _episodes_file(2_000, data)
        ours = _attune_runs(arguments.attune, episodes, 1, data, warm=False)
    print(
        f"smoke: attune equity report on 2,000 episodes: {ours['rows']} rows, "
        f"{ours['tests']} tests, wall {ours['median_wall_s']} s"
    )
    return 0 if ours["rows"] and ours["n_episodes"] == 2_000 else 1


def main() -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5, help="attune runs per round")
    parser.add_argument("--rounds", type=int, default=3, help="paired rounds with the peer")
    parser.add_argument("--skip-peer", action="store_true", help="time only attune")
    parser.add_argument(
        "--peer-python",
        type=Path,
        help="an interpreter with aequitas installed (default: build one)",
    )
    parser.add_argument(
        "--peer-significance",
        action="store_true",
        help="time Aequitas's significance mode too (minutes at 1,000,000 episodes)",
    )
    parser.add_argument("--smoke", action="store_true", help="a tiny run that checks it works")
    parser.add_argument(
        "--attune",
        type=Path,
        default=Path(sys.executable).parent / "attune",
        help="the attune command (default: beside this interpreter)",
    )
    arguments = parser.parse_args()
    if arguments.smoke:
        return _smoke(arguments)

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
    rounds = [_round(arguments, episodes) for _ in range(arguments.rounds)]
    results["rounds"] = rounds
    walls = [float(r["attune"]["median_wall_s"]) for r in rounds]  # type: ignore[index]
    print(f"attune median wall per round: {', '.join(f'{w:.3f}' for w in walls)} s")
    for name in ("aequitas_bare", "aequitas_significance"):
        for unit in ("", "_cpu"):
            ratios = [r[f"attune_over_{name}_comparisons{unit}"] for r in rounds if name in r]
            if ratios:
                print(
                    f"attune / {name} comparisons{unit or ' (wall)'}, per round: "
                    f"{', '.join(map(str, ratios))}"
                )
    DATA.mkdir(parents=True, exist_ok=True)
    (DATA / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
