"""Benchmark: the content cache and --jobs on the seed articles x 20 (not a test; prints figures).

    python bench/cache_jobs.py [--copies 20] [--repeat 3]

Builds a folder of copies of ../shared/seeds (each copy made unique by one trailing line,
so the cache cannot serve one copy's result for another), then times whole CLI runs as a
user would start them, each a fresh process:

  first run     empty cache, --jobs 1 (fills the cache)
  cached re-run the same files again (every file a cache hit)
  --jobs 1/2    --no-cache, serial and with two worker processes

and checks that every run printed the same report. Figures are medians of --repeat runs.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO.parent / "shared" / "seeds"


def build_site(folder: Path, copies: int) -> int:
    seeds = sorted(p for p in SEEDS.iterdir() if p.is_file())
    words = 0
    for i in range(copies):
        for seed in seeds:
            text = seed.read_text(encoding="utf-8") + f"\n\nBenchmark copy {i}.\n"
            (folder / f"{seed.stem}_{i:03d}{seed.suffix}").write_text(text, encoding="utf-8")
            words += len(text.split())
    return words


def timed(args: list[str], cwd: Path) -> tuple[float, bytes]:
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "claimcheck", *args], cwd=cwd, capture_output=True)
    elapsed = time.perf_counter() - start
    if out.returncode not in (0, 1):
        sys.exit(f"claimcheck failed ({out.returncode}): {out.stderr.decode()}")
    return elapsed, out.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not SEEDS.is_dir():
        sys.exit(f"{SEEDS}: not found (this benchmark needs ../shared/seeds)")
    work = Path(tempfile.mkdtemp(prefix="claimcheck-bench-"))
    try:
        site = work / "site"
        site.mkdir()
        words = build_site(site, args.copies)
        files = len(list(site.iterdir()))
        cache = work / "cache"
        report = ["check", "site", "-f", "json", "--fail-on", "never"]
        first, cached, serial, parallel = [], [], [], []
        outputs: set[bytes] = set()
        for _ in range(args.repeat):
            shutil.rmtree(cache, ignore_errors=True)
            t, out = timed([*report, "--cache-dir", str(cache), "--jobs", "1"], work)
            first.append(t)
            outputs.add(out)
            t, out = timed([*report, "--cache-dir", str(cache), "--jobs", "1"], work)
            cached.append(t)
            outputs.add(out)
            t, out = timed([*report, "--no-cache", "--jobs", "1"], work)
            serial.append(t)
            outputs.add(out)
            t, out = timed([*report, "--no-cache", "--jobs", "2"], work)
            parallel.append(t)
            outputs.add(out)
        med = {name: statistics.median(v) for name, v in
               (("first", first), ("cached", cached), ("serial", serial), ("parallel", parallel))}  # fmt: skip
        print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
              f"Python {platform.python_version()}")  # fmt: skip
        print(f"input: {files} files ({args.copies} x {files // args.copies} seed articles), {words:,} words")
        print(f"runs: median of {args.repeat}, each a fresh `python -m claimcheck` process")
        print(f"first run (empty cache, --jobs 1): {med['first']:.2f} s")
        print(f"cached re-run:                    {med['cached']:.2f} s  ({med['first'] / med['cached']:.1f}x faster)")
        print(f"--no-cache --jobs 1:              {med['serial']:.2f} s")
        print(f"--no-cache --jobs 2:              {med['parallel']:.2f} s  "
              f"({med['serial'] / med['parallel']:.2f}x the speed of --jobs 1)")  # fmt: skip
        print(f"identical reports across all runs: {len(outputs) == 1}")
        if len(outputs) != 1:
            sys.exit(1)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
