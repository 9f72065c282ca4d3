"""Whole-process timings of the three profiles, start-up and linearity, beside alex, in one run.

Run from the repository root (alex installed once with bench/language/setup-alex.sh, or with
npm into any directory named by --alex-dir):

    .venv/bin/python bench/language/profiles.py [--alex-dir /tmp/alex] [--runs 3]

It writes a ~1 MB corpus of synthetic intake forms (bench/language/synthetic.py, seeded) plus
0.25, 0.5 and 2 MB versions, then times as subprocesses, best of --runs:

- `attune lint --profile P --format json CORPUS` for P = notes, materials, forms;
- start-up: `attune lint --profile forms` on an empty file, with the rule-index cache warm and
  with it off (ATTUNE_LANGUAGE_CACHE_DIR=off, the index built in the process);
- the forms profile on each corpus size (linearity);
- alex over the same 1 MB corpus in one node process, best of three chunk sizes, and with
  --alex-cli also alex's own command line on the whole file (as a user would run it).

Every figure is wall time of the whole process, start-up included. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))

from synthetic import generate, generate_forms  # noqa: E402

SIZES = (250_000, 500_000, 1_000_000, 2_000_000)
ALEX_CHUNKS = (2_000, 20_000, 60_000)


def run(
    command: list[str], env: dict[str, str] | None = None, *, allow_failure: bool = False
) -> tuple[float, float, bytes, float]:
    """Run command; return (wall seconds, peak RSS in MB, stdout, processor seconds)."""
    with tempfile.TemporaryFile() as sink:
        started = time.perf_counter()
        process = subprocess.Popen(
            command, stdout=sink, stderr=subprocess.DEVNULL, cwd=ROOT, env=env
        )
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1) and not allow_failure:
            raise SystemExit(f"{' '.join(command)} failed with status {code}")
        sink.seek(0)
        return elapsed, usage.ru_maxrss / 1024, sink.read(), usage.ru_utime + usage.ru_stime


def best(command: list[str], runs: int, env: dict[str, str] | None = None) -> dict:
    """Return the fastest of several runs, with the highest peak memory seen."""
    trials = [run(command, env) for _ in range(runs)]
    return {
        "seconds": min(t[0] for t in trials),
        "cpu": min(t[3] for t in trials),
        "peak_mb": max(t[1] for t in trials),
        "stdout": trials[0][2],
    }


def attune(*args: str) -> list[str]:
    """Return the `attune lint` command: the console script beside this Python, as users run it."""
    for script in (Path(sys.executable).parent / "attune", ROOT / ".venv" / "bin" / "attune"):
        if script.exists():
            return [str(script), "lint", *args]
    return [sys.executable, "-m", "attune.language.cli", *args]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alex-dir", default=os.environ.get("ALEX_DIR", str(HERE)))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--bytes", type=int, default=1_000_000, help="size of the main corpus")
    parser.add_argument("--skip-alex", action="store_true")
    parser.add_argument(
        "--alex-cli",
        action="store_true",
        help="also time alex's own command line on the whole corpus (slow: minutes)",
    )
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="attune-profiles-"))
    env = dict(os.environ)
    env["ATTUNE_LANGUAGE_CACHE_DIR"] = str(work / "cache")
    # An installed package has its bytecode compiled; a checkout run with
    # PYTHONDONTWRITEBYTECODE would compile every module at every start instead.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    try:
        sizes = sorted({*(round(s * args.bytes / 1_000_000) for s in SIZES)})
        corpora = {}
        for size in sizes:
            path = work / f"forms-{size}.txt"
            path.write_text(generate_forms(size), encoding="utf-8")
            corpora[size] = path
        main_corpus = corpora[args.bytes]
        notes_corpus = work / "notes.txt"
        notes_corpus.write_text(generate(args.bytes), encoding="utf-8")
        empty = work / "empty.txt"
        empty.write_text("", encoding="utf-8")
        run(attune("--profile", "forms", str(empty)), env)  # fills the cache
        for profile in ("notes", "materials"):
            run(attune("--profile", profile, str(empty)), env)

        print(f"best of {args.runs} runs each, whole process")
        results: dict[str, dict] = {}
        for label, corpus in (("forms corpus", main_corpus), ("notes corpus", notes_corpus)):
            size = corpus.stat().st_size / 1e6
            print(f"{label}: {size:.2f} MB")
            for profile in ("notes", "materials", "forms"):
                command = attune("--profile", profile, "--format", "json", str(corpus))
                result = best(command, args.runs, env)
                findings = len(json.loads(result["stdout"])["files"][0]["findings"])
                results[f"{label}/{profile}"] = result
                print(
                    f"  {profile:9} {result['seconds']:.3f} s wall, {result['cpu']:.3f} s CPU, "
                    f"{size / result['seconds']:.2f} MB/s, peak {result['peak_mb']:.0f} MB, "
                    f"{findings} findings"
                )
            forms, notes = results[f"{label}/forms"], results[f"{label}/notes"]
            print(
                f"  forms / notes on the {label}: "
                f"{forms['seconds'] / notes['seconds']:.2f} x wall, "
                f"{forms['cpu'] / notes['cpu']:.2f} x CPU (target <= 1.5)"
            )
        print(f"  command: {' '.join(attune('--profile', 'forms', '--format', 'json', 'CORPUS'))}")
        forms, notes = results["forms corpus/forms"], results["notes corpus/notes"]
        print(
            "forms profile on forms / notes profile on notes, same size: "
            f"{forms['seconds'] / notes['seconds']:.2f} x wall, "
            f"{forms['cpu'] / notes['cpu']:.2f} x CPU"
        )

        warm = best(attune("--profile", "forms", str(empty)), max(args.runs, 5), env)
        cold_env = dict(env, ATTUNE_LANGUAGE_CACHE_DIR="off")
        cold = best(attune("--profile", "forms", str(empty)), max(args.runs, 5), cold_env)
        bare = best([sys.executable, "-c", "pass"], max(args.runs, 5))
        print(
            f"start-up (empty file): {warm['seconds']:.3f} s wall ({warm['cpu']:.3f} s CPU) with "
            f"the index cache, {cold['seconds']:.3f} s ({cold['cpu']:.3f} s CPU) without "
            f"(target < 0.2 s); bare Python {bare['seconds']:.3f} s"
        )

        print("linearity, forms profile (whole process; start-up subtracted in brackets):")
        timings = {}
        for size, path in corpora.items():
            command = attune("--profile", "forms", "--format", "json", str(path))
            result = best(command, args.runs, env)
            timings[size] = result["seconds"]
            print(
                f"  {path.stat().st_size / 1e6:.2f} MB: {result['seconds']:.3f} s "
                f"({result['seconds'] - warm['seconds']:.3f} s)"
            )
        small, large = min(sizes), max(sizes)
        print(
            f"  x{large / small:.0f} input: x{timings[large] / timings[small]:.2f} process time, "
            f"x{(timings[large] - warm['seconds']) / (timings[small] - warm['seconds']):.2f} "
            "after start-up"
        )

        if not args.skip_alex:
            alex_dir = Path(args.alex_dir)
            if not (alex_dir / "node_modules" / "alex").exists():
                raise SystemExit(f"alex is not installed in {alex_dir}; see setup-alex.sh")
            runner = alex_dir / "alex_runner.mjs"
            if runner.resolve() != (HERE / "alex_runner.mjs").resolve():
                shutil.copyfile(HERE / "alex_runner.mjs", runner)
            trials = []
            for chunk in ALEX_CHUNKS:
                command = ["node", str(runner), "speed", str(main_corpus), str(chunk)]
                seconds, peak, _, cpu = run(command)
                trials.append((seconds, cpu, peak, chunk))
                print(
                    f"  alex, chunks of {chunk} characters: {seconds:.2f} s wall, {cpu:.2f} s CPU, "
                    f"peak {peak:.0f} MB"
                )
            alex_seconds, alex_cpu, _peak, alex_chunk = min(trials)
            if args.alex_cli:
                command = [str(alex_dir / "node_modules" / ".bin" / "alex"), str(main_corpus)]
                seconds, peak, _, cpu = run(command, allow_failure=True)
                ours = results["forms corpus/forms"]
                print(
                    f"  alex command line on the whole corpus: {seconds:.1f} s wall, "
                    f"{cpu:.1f} s CPU, peak {peak:.0f} MB; forms profile "
                    f"{seconds / ours['seconds']:.0f} x wall, {cpu / ours['cpu']:.0f} x CPU"
                )
            print(f"  command: node {runner} speed CORPUS {alex_chunk}")
            for profile in ("notes", "materials", "forms"):
                ours = results[f"forms corpus/{profile}"]
                print(
                    f"{profile} profile vs alex on the forms corpus: "
                    f"{alex_seconds / ours['seconds']:.0f} x wall, "
                    f"{alex_cpu / ours['cpu']:.0f} x CPU"
                    + (" (target >= 100)" if profile == "forms" else "")
                )
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
