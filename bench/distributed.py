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
3. prints wall time; CPU time (the process and the worker processes it reaped, from
   ``os.wait4``); words per second and per CPU second; the speed-up over the one-worker
   run of the same kind; the peak memory of the main process alone (the client: polled
   from /proc); the load average after each run; and checks that every run wrote the same
   bytes.

The machine may be shared: --repeat runs every configuration again, in turn, and the
medians are reported; the load averages show what else was running.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
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


def run(argv: list[str], cwd: Path) -> dict:
    """One CLI run to its end: wall seconds; CPU seconds of the process and of the children it
    reaped (its --jobs or Dask worker processes), from ``os.wait4``; the main process's own
    peak memory (polled from /proc: the workers are not in it); the load average after it."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err)
        peak = [0]
        done = threading.Event()

        def poll() -> None:
            while not done.is_set():
                peak[0] = max(peak[0], _peak_kb(proc.pid))
                done.wait(0.25)

        watcher = threading.Thread(target=poll, daemon=True)
        watcher.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        done.set()
        watcher.join()
        code = os.waitstatus_to_exitcode(status)
        proc.returncode = code
        err.seek(0)
        message = err.read().decode(errors="replace")
    if code not in (0, 1) or "Traceback" in message:
        raise RuntimeError(f"{' '.join(argv)} exited {code}:\n{message[-3000:]}")
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "peak_mb": peak[0] / 1024,
        "load": os.getloadavg()[0],
    }


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
        results: dict[str, list[dict]] = {spec: [] for spec in args.runs}
        digests: dict[str, str] = {}
        for _ in range(args.repeat):  # interleaved: a change in the machine's load hits every run alike
            for spec in args.runs:
                kind, n = spec.split(":")
                option = ["--jobs", n] if kind == "jobs" else ["--scheduler", f"local:{n}"]
                out = folder / f"out-{kind}-{n}.jsonl"
                got = run([*base, "check", str(crawl), "-f", "jsonl", "-o", str(out), "--no-cache", *option], folder)
                digests[spec] = hashlib.sha256(out.read_bytes()).hexdigest()
                results[spec].append(got)
                print(
                    f"{spec:8} {got['wall']:7.1f}s wall {got['cpu']:7.1f}s CPU  {words / got['wall']:9,.0f} words/s  "
                    f"{words / got['cpu']:9,.0f} words/CPU-s  client peak {got['peak_mb']:4.0f} MB  "
                    f"load {got['load']:.1f}",
                    flush=True,
                )
        rows = {
            spec: {key: statistics.median(r[key] for r in runs) for key in ("wall", "cpu", "peak_mb", "load")}
            for spec, runs in results.items()
        }
        print(f"medians of {args.repeat} run(s); speed-up on wall time over one worker of the same kind:")
        for spec, row in rows.items():
            kind, n = spec.split(":")
            one = rows.get(f"{kind}:1")
            speedup = one["wall"] / row["wall"] if one else 0.0
            scale = f"x{speedup:.2f} ({speedup / int(n):.2f} per worker)" if one else ""
            print(
                f"  {spec:8} {row['wall']:7.1f}s wall  {words / row['wall']:9,.0f} words/s  "
                f"{words / row['cpu']:9,.0f} words/CPU-s  {scale}"
            )
        same = len(set(digests.values())) == 1
        print(f"reports: {'all byte-identical' if same else 'DIFFER'} ({len(digests)} runs)")
        print("json: " + json.dumps({"pages": args.pages, "words": words, "runs": results, "identical": same}))
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
