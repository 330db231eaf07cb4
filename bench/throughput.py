"""Throughput, cold start, peak memory and scaling of claimcheck, with proselint beside it.

Not a test: a script that prints figures. From the repository root:

    .venv/bin/python bench/throughput.py                  # everything (several minutes)
    .venv/bin/python bench/throughput.py --words 200000 --no-proselint --no-scaling   # quick look

What it does, in one run:

1. builds a corpus of at least ``--words`` words (default 1,000,000) in a temporary folder:
   the project's own corpus (corpus/docs/*.jsonl, sentences regrouped into pages) written
   as many Markdown and plain-text files, plus copies of examples/;
2. times ``claimcheck check <folder>`` end to end as a fresh process (model on, cache off),
   with the default ``--jobs`` (a worker per core for a run this size) and with
   ``--jobs 1``, and the in-process Checker API on the same files; CPU time and peak memory
   come from ``os.wait4``: CPU is summed over the process and its workers, peak memory is
   the largest single process's maxrss, not the machine's;
3. times the cold start of ``claimcheck check examples/clinic-page.md`` in a fresh
   process (median of ``--cold-runs``), with the result cache off so nothing is reused;
4. creates a virtual environment (bench/.venv-proselint, git-ignored), installs proselint
   from PyPI into it, runs ``proselint check`` over the same files, and prints claimcheck's
   words per second as a ratio to proselint's;
5. a scaling run at 10k, 100k and 1M words (API, model on): time should grow linearly.

The machine this runs on may be shared: repeat runs (``--repeat``) and read the spread.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
PROSELINT_VENV = BENCH / ".venv-proselint"
TARGETS = {"ratio": 1.0, "cold_s": 1.0, "peak_mb": 300.0}


# -- corpus ---------------------------------------------------------------------------------


def _pages() -> list[tuple[str, list[str]]]:
    """The project corpus as pages: (doc id, sentences in order)."""
    pages: dict[str, list[str]] = {}
    for path in sorted((REPO / "corpus" / "docs").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                pages.setdefault(row["doc"], []).append(row["text"])
    return sorted(pages.items())


def _render(sentences: list[str], markdown: bool, rng: random.Random) -> str:
    """A page: a title, paragraphs of 1-4 sentences, and bullet lists under 'for:' lead-ins."""
    out: list[str] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            out.append(" ".join(para))
            para.clear()

    for i, s in enumerate(sentences):
        bullet = s.startswith(("•", "- ", "* ", "✔"))
        if i == 0 and not s.rstrip().endswith((".", "!", "?", ":")):
            out.append(("# " if markdown else "") + s)
            continue
        if bullet:
            flush()
            item = s.lstrip("•-*✔ ").strip()
            out.append(("- " if markdown else "• ") + item)
            continue
        para.append(s)
        if s.rstrip().endswith(":") or len(para) >= rng.randint(1, 4):
            flush()
    flush()
    # Bullets stay together (one block); other blocks are separated by blank lines.
    text, prev_bullet = "", False
    for block in out:
        is_bullet = block.startswith(("- ", "• "))
        text += ("\n" if is_bullet and prev_bullet else "\n\n" if text else "") + block
        prev_bullet = is_bullet
    return text + "\n"


def build_corpus(folder: Path, target_words: int, seed: int = 0) -> tuple[list[Path], int]:
    """Write pages into ``folder`` until they hold at least ``target_words`` words."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    pages = _pages()
    examples = [p for p in sorted((REPO / "examples").iterdir()) if p.suffix in (".md", ".html", ".txt")]
    files: list[Path] = []
    words, copy = 0, 0
    while words < target_words:
        sub = folder / f"set{copy:03d}"
        sub.mkdir(exist_ok=True)
        for ex in examples:
            if words >= target_words:
                break
            dest = sub / ex.name
            shutil.copyfile(ex, dest)
            files.append(dest)
            words += len(dest.read_text(encoding="utf-8").split())
        for n, (doc_id, sentences) in enumerate(pages):
            if words >= target_words:
                break
            markdown = (n + copy) % 2 == 0
            dest = sub / f"{doc_id}.{'md' if markdown else 'txt'}"
            text = _render(sentences, markdown, rng)
            dest.write_text(text, encoding="utf-8")
            files.append(dest)
            words += len(text.split())
        copy += 1
    return files, words


def subset(files: list[Path], words: int) -> tuple[list[Path], int]:
    """The first files holding at least ``words`` words."""
    out, total = [], 0
    for f in files:
        if total >= words:
            break
        out.append(f)
        total += len(f.read_text(encoding="utf-8").split())
    return out, total


# -- measuring a child process --------------------------------------------------------------


@dataclass
class Run:
    wall: float  # seconds
    cpu: float  # user + system seconds of the child (its own, not the machine's)
    peak_mb: float  # the child's maxrss
    returncode: int
    stdout: str = ""


def run_child(argv: list[str], cwd: Path | None = None, env: dict | None = None, capture: bool = False) -> Run:
    """Run a command to its end and read its own resource usage (``os.wait4``)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=out if capture else subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        message = err.read().decode(errors="replace")
        out.seek(0)
        text = out.read().decode(errors="replace") if capture else ""
    if "Traceback" in message or proc.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(argv[:4])} ... exited {proc.returncode}:\n{message[-3000:]}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode, text)


# In-process runs of the Checker API: one process, start-up excluded from the timing.
API_SCRIPT = """
import json, resource, sys, time
from claimcheck import Checker
mode, use_model, paths = sys.argv[1], sys.argv[2] == "yes", sys.argv[3:]
checker = Checker(use_model=None if use_model else False)
checker.check_text("Dry needling relieves neck pain.")
wall, cpu = time.perf_counter(), time.process_time()
if mode == "batched":
    findings = sum(len(r.findings) for r in checker.check_files(paths))
else:
    findings = sum(len(checker.check_file(p).findings) for p in paths)
print(json.dumps({"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu, "findings": findings,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run_api(mode: str, files: list[Path], use_model: bool, cwd: Path) -> dict:
    listing = [sys.executable, "-c", API_SCRIPT, mode, "yes" if use_model else "no", *map(str, files)]
    return json.loads(run_child(listing, cwd=cwd, capture=True).stdout.strip().splitlines()[-1])


def claimcheck_argv(*args: str) -> list[str]:
    exe = Path(sys.executable).with_name("claimcheck")
    base = [str(exe)] if exe.exists() else [sys.executable, "-m", "claimcheck"]
    extra = []
    help_text = subprocess.run([*base, "check", "--help"], capture_output=True, text=True).stdout
    if "--no-cache" in help_text:
        extra.append("--no-cache")
    if "--no-progress" in help_text:
        extra.append("--no-progress")
    return [*base, "check", *args, *extra]


# -- proselint -------------------------------------------------------------------------------


def proselint_exe() -> Path:
    """bench/.venv-proselint/bin/proselint, created and installed from PyPI on first use."""
    exe = PROSELINT_VENV / "bin" / "proselint"
    if not exe.exists():
        print(f"creating {PROSELINT_VENV.relative_to(REPO)} and installing proselint from PyPI ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(PROSELINT_VENV)], check=True)
        subprocess.run([str(PROSELINT_VENV / "bin" / "python"), "-m", "pip", "install", "-q", "proselint"], check=True)
    return exe


def proselint_version(exe: Path) -> str:
    out = subprocess.run(
        [str(PROSELINT_VENV / "bin" / "python"), "-m", "pip", "show", "proselint"], capture_output=True, text=True
    ).stdout
    return next((line.split(":", 1)[1].strip() for line in out.splitlines() if line.startswith("Version:")), "?")


# -- the machine -----------------------------------------------------------------------------


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"{cpu}, {cores} cores available, {mem} RAM, Python {platform.python_version()}, {platform.system()}"


# -- main ------------------------------------------------------------------------------------


def _fmt_rate(words: int, seconds: float) -> str:
    return f"{words / seconds:,.0f} words/s"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--words", type=int, default=1_000_000, help="corpus size in words (default 1,000,000)")
    ap.add_argument("--repeat", type=int, default=2, help="end-to-end runs of each tool (best and median shown)")
    ap.add_argument("--cold-runs", type=int, default=7, help="fresh-process runs for the cold start median")
    ap.add_argument("--no-proselint", action="store_true", help="skip the proselint comparison")
    ap.add_argument("--no-scaling", action="store_true", help="skip the 10k/100k/1M scaling run")
    ap.add_argument("--no-model", action="store_true", help="check with the rules alone")
    ap.add_argument("--keep", type=Path, help="build the corpus here and keep it")
    args = ap.parse_args(argv)

    print(f"machine: {machine()}")
    print(f"claimcheck: {REPO}  python: {sys.executable}")
    tmp = Path(tempfile.mkdtemp(prefix="claimcheck-bench-"))
    corpus_dir = args.keep or tmp / "corpus"
    try:
        t0 = time.perf_counter()
        files, words = build_corpus(corpus_dir, args.words)
        print(
            f"corpus: {len(files):,} files, {words:,} words in {corpus_dir} ({time.perf_counter() - t0:.1f}s to build)"
        )
        model_flag = ["--no-model"] if args.no_model else []
        results: dict[str, object] = {"words": words, "files": len(files)}

        # Cold start of one small file, fresh process each time, cache off.
        argv_cold = claimcheck_argv(str(REPO / "examples" / "clinic-page.md"), "--format", "json", *model_flag)
        colds = [run_child(argv_cold, cwd=tmp) for _ in range(args.cold_runs)]
        cold = statistics.median(r.wall for r in colds)
        cold_cpu = statistics.median(r.cpu for r in colds)
        print(
            f"cold start, claimcheck check examples/clinic-page.md: median {cold:.2f}s wall, {cold_cpu:.2f}s CPU "
            f"(wall min {min(r.wall for r in colds):.2f}s, max {max(r.wall for r in colds):.2f}s; {len(colds)} runs); "
            f"peak memory {max(r.peak_mb for r in colds):.0f} MB"
        )
        results.update(cold_s=cold, cold_cpu_s=cold_cpu)

        # claimcheck end to end through the CLI, and proselint on the same files, interleaved.
        argv_all = claimcheck_argv(str(corpus_dir), "--format", "json", *model_flag)
        exe = None if args.no_proselint else proselint_exe()
        cc_runs, pl_runs = [], []
        for _ in range(args.repeat):
            cc_runs.append(run_child(argv_all, cwd=tmp))
            if exe:
                pl_runs.append(run_child([str(exe), "check", str(corpus_dir)], cwd=tmp))
        cc = min(cc_runs, key=lambda r: r.cpu)
        peak = max(r.peak_mb for r in cc_runs)
        print(
            f"claimcheck CLI, {words:,} words: "
            + ", ".join(f"{r.wall:.1f}s wall/{r.cpu:.1f}s CPU" for r in cc_runs)
            + f" -> best {_fmt_rate(words, cc.wall)} wall, {_fmt_rate(words, cc.cpu)} CPU; peak memory {peak:.0f} MB"
        )
        results.update(cli_wall_s=cc.wall, cli_cpu_s=cc.cpu, peak_mb=peak)
        # The same in one process (--jobs 1): the default uses a worker per core for a run this size.
        one = run_child([*argv_all, "--jobs", "1"], cwd=tmp)
        print(
            f"claimcheck CLI --jobs 1, same files: {one.wall:.1f}s wall/{one.cpu:.1f}s CPU -> "
            f"{_fmt_rate(words, one.wall)}; peak memory {one.peak_mb:.0f} MB"
        )
        results.update(cli_jobs1_wall_s=one.wall, cli_jobs1_cpu_s=one.cpu, cli_jobs1_peak_mb=one.peak_mb)
        if exe:
            pl = min(pl_runs, key=lambda r: r.cpu)
            print(
                f"proselint {proselint_version(exe)}, same files: "
                + ", ".join(f"{r.wall:.1f}s wall/{r.cpu:.1f}s CPU" for r in pl_runs)
                + f" -> best {_fmt_rate(words, pl.wall)} wall, {_fmt_rate(words, pl.cpu)} CPU; "
                f"peak memory {max(r.peak_mb for r in pl_runs):.0f} MB"
            )
            results.update(proselint_wall_s=pl.wall, proselint_cpu_s=pl.cpu)
            results["ratio_cpu"] = pl.cpu / cc.cpu
            results["ratio_wall"] = pl.wall / cc.wall
            results["ratio_jobs1_wall"] = pl.wall / one.wall
            print(
                f"throughput ratio claimcheck/proselint (CLI, end to end): {results['ratio_wall']:.2f} on wall time "
                f"(default --jobs), {results['ratio_jobs1_wall']:.2f} with --jobs 1, "
                f"{results['ratio_cpu']:.2f} on CPU time (all processes)"
            )

        # The Checker API in one process: check_file on each file in turn, and check_files (what
        # the CLI uses: spaCy and the classifier batched over many files).
        use_model = not args.no_model
        for mode in ("per-file", "batched"):
            got = run_api(mode, files, use_model, tmp)
            print(
                f"Checker API, {mode:8}: {got['wall']:.1f}s wall, {got['cpu']:.1f}s CPU -> "
                f"{_fmt_rate(words, got['cpu'])} CPU; {got['findings']:,} findings; peak memory {got['peak_mb']:.0f} MB"
            )
            results[f"api_{mode}_cpu_s"] = got["cpu"]
            if exe:
                ratio = results["proselint_cpu_s"] / got["cpu"]
                print(f"  ratio to proselint's CPU time (claimcheck start-up excluded): {ratio:.2f}")
                results[f"api_{mode}_ratio_cpu"] = ratio

        # Scaling: the same API call (batched) on the first 10k, 100k, 1M words.
        if not args.no_scaling:
            sizes = [n for n in (10_000, 100_000, 1_000_000) if n <= words]
            print("scaling (Checker.check_files in one process, start-up excluded):")
            scaling = []
            for size in sizes:
                part, part_words = subset(files, size)
                got = run_api("batched", part, use_model, tmp)
                rate = part_words / got["cpu"]
                scaling.append((part_words, got["cpu"], rate))
                print(
                    f"  {part_words:>9,} words  {got['cpu']:7.2f}s CPU  {got['wall']:7.2f}s wall  "
                    f"{rate:9,.0f} words/s (CPU)  x{rate / scaling[0][2]:.2f} of the first rate  "
                    f"{got['findings']:,} findings"
                )
            results["scaling"] = scaling

        print("targets:")
        if "ratio_cpu" in results:
            for label, key in (
                ("wall time, default --jobs", "ratio_wall"),
                ("wall time, --jobs 1", "ratio_jobs1_wall"),
                ("CPU time", "ratio_cpu"),
            ):
                ok = results[key] >= TARGETS["ratio"]
                print(f"  CLI throughput >= proselint's ({label}): {'met' if ok else 'NOT met'} ({results[key]:.2f}x)")
        met = "met" if cold <= TARGETS["cold_s"] else "NOT met"
        print(f"  cold start <= {TARGETS['cold_s']}s: {met} ({cold:.2f}s wall, {cold_cpu:.2f}s CPU)")
        peak_any = max(peak, one.peak_mb)
        met = "met" if peak_any <= TARGETS["peak_mb"] else "NOT met"
        print(
            f"  peak memory <= {TARGETS['peak_mb']:.0f} MB: {met} ({peak:.0f} MB largest process with the default "
            f"--jobs, {one.peak_mb:.0f} MB with --jobs 1)"
        )
        if results.get("scaling"):
            # Linear (or better) when a word costs no more at 1M words than at 10k: the rate at
            # each size stays at least 2/3 of the smallest run's. A faster rate at larger sizes
            # (the first pages pay for new words entering spaCy's vocabulary) is fine.
            rates = [r[2] for r in results["scaling"]]
            worst = min(rate / rates[0] for rate in rates)
            print(
                f"  time linear in words: {'met' if worst >= 2 / 3 else 'NOT met'} (words per CPU second at "
                + ", ".join(f"{w:,} words: {rate:,.0f}" for w, _, rate in results["scaling"])
                + ")"
            )
        print("json: " + json.dumps(results))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
