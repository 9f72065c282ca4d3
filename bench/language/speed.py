"""Throughput, peak memory and linearity of `attune lint` against alex.

Run from the repository root after bench/language/setup-alex.sh:

    .venv/bin/python bench/language/speed.py

It writes a ~5 MB corpus of short synthetic paragraphs (and a 0.5 MB prefix of it), then runs
`attune lint --profile notes --format json` as a subprocess on each and alex's `text()` in one
node process, reading each child's peak resident memory from the kernel (wait4).
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

from synthetic import generate  # noqa: E402

FULL_BYTES = 5_000_000
SMALL_BYTES = 500_000
# alex is given every chunk size below on the full corpus and credited with its best run.
ALEX_CHUNKS = (2_000, 20_000, 60_000)
ATTUNE_RUNS = 3


def run_measured(command: list[str], *, stdout_path: Path) -> tuple[float, float, int]:
    """Run command; return (wall seconds, peak RSS in MB, exit status)."""
    with stdout_path.open("wb") as sink:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.PIPE, cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss / 1024, process.returncode


def attune_command() -> list[str]:
    """Return the installed `attune` console script, or the module as a fallback."""
    script = ROOT / ".venv" / "bin" / "attune"
    if script.exists():
        return [str(script), "lint"]
    return [sys.executable, "-m", "attune.language.cli"]


def measure_attune(corpus: Path, workdir: Path, runs: int = ATTUNE_RUNS) -> dict:
    """Time `attune lint` (best of several runs, highest peak memory) and check its output."""
    output = workdir / f"{corpus.stem}.json"
    command = [*attune_command(), "--profile", "notes", "--format", "json", str(corpus)]
    timings = []
    for _ in range(runs):
        seconds, peak_mb, status = run_measured(command, stdout_path=output)
        if status not in (0, 1):
            raise SystemExit(f"attune lint failed with status {status}")
        timings.append((seconds, peak_mb))
    seconds = min(t for t, _ in timings)
    peak_mb = max(m for _, m in timings)
    findings = len(json.loads(output.read_text(encoding="utf-8"))["files"][0]["findings"])
    size_mb = corpus.stat().st_size / 1e6
    return {
        "seconds": seconds,
        "peak_mb": peak_mb,
        "mb": size_mb,
        "mb_per_s": size_mb / seconds,
        "findings": findings,
        "command": " ".join(command),
    }


def measure_engine_only(corpus: Path, runs: int = ATTUNE_RUNS) -> float:
    """Return seconds for the library alone (no process start-up), for the linearity check."""
    return min(_engine_once(corpus) for _ in range(runs))


def _engine_once(corpus: Path) -> float:
    code = (
        "import sys,time;from attune.language import audit_text;"
        "from attune.language.rulebook import default_index;default_index('notes');"
        "t=open(sys.argv[1],encoding='utf-8').read();s=time.perf_counter();"
        "audit_text(t,profile='notes');print(time.perf_counter()-s)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(corpus)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return float(out.stdout.strip())


def measure_alex(corpus: Path, workdir: Path, chunk: int) -> dict:
    """Time alex over the corpus in one node process."""
    output = workdir / f"alex-{corpus.stem}-{chunk}.json"
    command = ["node", str(HERE / "alex_runner.mjs"), "speed", str(corpus), str(chunk)]
    wall, peak_mb, status = run_measured(command, stdout_path=output)
    if status != 0:
        raise SystemExit(f"alex failed with status {status}")
    result = json.loads(output.read_text(encoding="utf-8"))
    size_mb = corpus.stat().st_size / 1e6
    return {
        "seconds": wall,
        "inner_seconds": result["seconds"],
        "peak_mb": peak_mb,
        "mb": size_mb,
        "mb_per_s": size_mb / wall,
        "messages": result["messages"],
        "chunk": chunk,
        "command": " ".join(command),
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a summary; return 0 when every target is met."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bytes", type=int, default=FULL_BYTES)
    parser.add_argument("--skip-alex", action="store_true")
    args = parser.parse_args(argv)
    if not args.skip_alex and not (HERE / "node_modules" / "alex").exists():
        raise SystemExit("alex is not installed; run bench/language/setup-alex.sh first")
    workdir = Path(tempfile.mkdtemp(prefix="attune-speed-"))
    try:
        text = generate(args.bytes)
        full = workdir / "corpus-full.txt"
        small = workdir / "corpus-small.txt"
        full.write_text(text, encoding="utf-8")
        cut = text.rfind("\n\n", 0, args.bytes // 10) + 2
        small.write_text(text[:cut], encoding="utf-8")

        ours_small = measure_attune(small, workdir)
        ours_full = measure_attune(full, workdir)
        engine_small = measure_engine_only(small)
        engine_full = measure_engine_only(full)
        size_ratio = full.stat().st_size / small.stat().st_size
        print(
            f"corpus: {ours_full['mb']:.2f} MB ({ours_small['mb']:.2f} MB prefix), "
            f"{text.count(chr(10) * 2) + 1} paragraphs"
        )
        print(
            f"attune lint (best of {ATTUNE_RUNS}): {ours_full['mb_per_s']:.2f} MB/s "
            f"({ours_full['seconds']:.2f} s), "
            f"peak {ours_full['peak_mb']:.0f} MB, {ours_full['findings']} findings"
        )
        print(f"  command: {ours_full['command']}")
        print(
            f"linearity (x{size_ratio:.2f} input): process time x"
            f"{ours_full['seconds'] / ours_small['seconds']:.2f}, engine time x"
            f"{engine_full / engine_small:.2f} ({engine_small:.3f} s -> {engine_full:.3f} s)"
        )
        ok = ours_full["peak_mb"] < 150 and engine_full / engine_small <= 10.5 * size_ratio / 10
        if not args.skip_alex:
            trials = [measure_alex(full, workdir, chunk) for chunk in ALEX_CHUNKS]
            for trial in trials:
                print(
                    f"  alex, chunks of {trial['chunk']} chars: {trial['mb_per_s']:.3f} MB/s, "
                    f"peak {trial['peak_mb']:.0f} MB"
                )
            alex = max(trials, key=lambda trial: trial["mb_per_s"])
            ratio = ours_full["mb_per_s"] / alex["mb_per_s"]
            print(
                f"alex (best): {alex['mb_per_s']:.3f} MB/s ({alex['seconds']:.1f} s, chunks of "
                f"{alex['chunk']} chars), peak {alex['peak_mb']:.0f} MB, "
                f"{alex['messages']} messages"
            )
            print(f"  command: {alex['command']}")
            print(f"throughput ratio: attune lint is {ratio:.0f}x alex (target >= 30x)")
            ok = ok and ratio >= 30
        print("targets met" if ok else "TARGETS NOT MET")
        return 0 if ok else 1
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
