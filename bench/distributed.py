"""Throughput on a Dask cluster against local worker processes: a crawl of 20,000 pages
through ``--jobs N`` and through ``--scheduler local:N`` (a Dask LocalCluster of N worker
processes, one thread each).

Not a test: a script that prints figures. From the repository root, with the extra
installed (``pip install ".[dask]"``):

    .venv/bin/python bench/distributed.py                               # 20,000 pages, every run below
    .venv/bin/python bench/distributed.py --pages 2000 --runs jobs:1 local:2   # a quick look

What it does:

1. builds a crawl of ``--pages`` pages as JSON Lines (``{"id", "url", "format", "text"}`` a
   line), the pages made as bench/throughput.py makes them: the project's corpus
   (corpus/docs/*.jsonl) regrouped into pages, Markdown and plain text in turn;
2. runs ``claimcheck check crawl.jsonl -f jsonl -o out.jsonl --no-cache`` end to end as a
   fresh process for each run (``jobs:N`` adds ``--jobs N``, ``local:N`` adds
   ``--scheduler local:N``), so every figure includes start-up: Python, the cluster, and
   each worker building its Checker;
3. prints wall time, words per second, the speed-up over the one-worker run of the same
   kind, the peak memory of the main process (the client; polled from /proc, so workers
   are not counted) and checks that every run wrote the same bytes.

The machine may be shared: read the spread of --repeat runs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from throughput import _pages, _render, machine  # noqa: E402

DEFAULT_RUNS = ["jobs:1", "jobs:2", "jobs:4", "local:1", "local:2", "local:4"]


def build_crawl(path: Path, pages: int, seed: int = 0) -> int:
    """Write ``pages`` crawl records to path; return their words."""
    rng = random.Random(seed)
    corpus = _pages()
    words = 0
    with path.open("w", encoding="utf-8") as out:
        for n in range(pages):
            doc_id, sentences = corpus[n % len(corpus)]
            markdown = (n // len(corpus) + n) % 2 == 0
            text = _render(sentences, markdown, rng)
            words += len(text.split())
            record = {
                "id": f"site{n // 50:04d}/{doc_id}-{n}",
                "url": f"https://clinic{n // 50:04d}.example/{doc_id}",
                "format": "markdown" if markdown else "text",
                "text": text,
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return words


def _peak_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def run(argv: list[str], cwd: Path) -> tuple[float, float, int]:
    """(wall seconds, main process's peak MB, exit code) of one CLI run."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _peak_kb(proc.pid))
        time.sleep(0.25)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode not in (0, 1) or "Traceback" in err:
        raise RuntimeError(f"{' '.join(argv)} exited {proc.returncode}:\n{err[-3000:]}")
    return wall, peak / 1024, proc.returncode


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=20_000, help="pages in the crawl (default 20,000)")
    ap.add_argument("--runs", nargs="+", default=DEFAULT_RUNS, help="jobs:N and local:N (default: 1, 2, 4 of each)")
    ap.add_argument("--repeat", type=int, default=1, help="runs of each configuration (the median is reported)")
    args = ap.parse_args(argv)

    exe = Path(sys.executable).with_name("claimcheck")
    base = [str(exe)] if exe.exists() else [sys.executable, "-m", "claimcheck"]
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory(prefix="claimcheck-dask-bench-") as tmp:
        folder = Path(tmp)
        crawl = folder / "crawl.jsonl"
        t0 = time.perf_counter()
        words = build_crawl(crawl, args.pages)
        size = crawl.stat().st_size / 1e6
        print(f"crawl: {args.pages:,} pages, {words:,} words, {size:.1f} MB ({time.perf_counter() - t0:.1f}s to build)")
        rows, digests = [], {}
        for spec in args.runs:
            kind, n = spec.split(":")
            option = ["--jobs", n] if kind == "jobs" else ["--scheduler", f"local:{n}"]
            out = folder / f"out-{kind}-{n}.jsonl"
            argv_run = [*base, "check", str(crawl), "-f", "jsonl", "-o", str(out), "--no-cache", *option]
            got = [run(argv_run, folder) for _ in range(args.repeat)]
            wall = statistics.median(g[0] for g in got)
            peak = max(g[1] for g in got)
            digests[spec] = hashlib.sha256(out.read_bytes()).hexdigest()
            rows.append((kind, int(n), wall, peak))
            walls = ", ".join(f"{g[0]:.1f}s" for g in got)
            print(f"{spec:8} {wall:7.1f}s wall ({walls})  {words / wall:9,.0f} words/s  client peak {peak:.0f} MB")
        print("speed-up over one worker of the same kind (and per worker):")
        for kind in ("jobs", "local"):
            one = next((w for k, n, w, _ in rows if k == kind and n == 1), None)
            for k, n, wall, _ in rows:
                if k == kind and one:
                    print(f"  {kind}:{n}  x{one / wall:.2f}  ({one / wall / n:.2f} per worker)")
        same = len(set(digests.values())) == 1
        print(f"reports: {'all byte-identical' if same else 'DIFFER'} ({len(digests)} runs)")
        print("json: " + json.dumps({"pages": args.pages, "words": words, "runs": rows, "identical": same}))
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
