"""Peak memory and time of `claimcheck check` on inputs built to be expensive (issue 16, case 6).

Each case is generated into a temporary folder and checked by a fresh `claimcheck` process
(model on, cache off, the JSON report read from a pipe and thrown away); the peak
resident memory of that process comes from wait4(). Prints one row per case.

    python bench/memory.py              # every case, about 15 minutes on 2 cores
    python bench/memory.py bullets-99k  # some cases by name
    python bench/memory.py --cache claims-99k  # with the cache on (a fresh folder and key)

Not a test: figures go in bench/README.md.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

MB = 1024 * 1024
CLAIM = "Dry needling relieves neck pain. "
FILLER = [
    "The clinic is open from Monday to Saturday and parking is free. ",
    "Bring a list of the medicines you take to your first visit. ",
    "Appointments last about forty minutes, with time to talk. ",
]


def _bullets(n: int) -> str:
    return "Dry needling is effective for:\n" + "- Migraines\n" * n


def _claim_lines(n: int) -> str:
    return (CLAIM.strip() + "\n") * n


def _one_line(size: int, every: int) -> str:
    parts, total = [], 0
    while total < size - 100:
        text = CLAIM if len(parts) % every == 0 else FILLER[len(parts) % len(FILLER)]
        parts.append(text)
        total += len(text)
    return "".join(parts)


# name -> (what it is, file name or None for standard input, how to make the text)
CASES: dict[str, tuple[str, str | None, Callable[[], str]]] = {
    "stdin-30MB": ("30 MB of claims piped to standard input", None, lambda: _claim_lines(30 * MB // 33)),
    "bullets-1M": ("1,000,000 bullets under a lead-in, 12 MB (.md)", "bullets.md", lambda: _bullets(1_000_000)),
    "claims-200k": ("200,000 one-line claims, 6.6 MB (.txt)", "claims.txt", lambda: _claim_lines(200_000)),
    "bullets-99k": ("99,000 bullets under a lead-in, 1.2 MB (.md)", "bullets.md", lambda: _bullets(99_000)),
    "claims-99k": ("99,000 one-line claims, 3.2 MB (.txt)", "claims.txt", lambda: _claim_lines(99_000)),
    "line-20MB": (
        "one 20 MB line, a claim every 50th sentence (.txt)",
        "line.txt",
        lambda: _one_line(20 * MB - 1024, 50),
    ),
    "claims-line-20MB": (
        "one 20 MB line of claims only (.txt)",
        "claims-line.txt",
        lambda: _one_line(20 * MB - 1024, 1),
    ),
    "stdin-20MB": ("the 20 MB line piped to standard input", None, lambda: _one_line(20 * MB - 1024, 50)),
}


def _drain(stream, sink: list[int]) -> None:
    total = 0
    while chunk := stream.read(1 << 16):
        total += len(chunk)
    sink.append(total)


def run_case(name: str, folder: Path, cache: bool = False) -> tuple[float, int, int, str]:
    """(seconds, peak RSS in KiB, exit code, first line of standard error)."""
    _, file_name, make = CASES[name]
    text = make().encode("utf-8")
    caching = ["--cache-dir", str(folder / "cache")] if cache else ["--no-cache"]
    args = [sys.executable, "-m", "claimcheck", "check", *caching, "-f", "json", "--fail-on", "never"]
    if file_name:
        (folder / file_name).write_bytes(text)
        args.append(str(folder / file_name))
    else:
        args.append("-")
    started = time.monotonic()
    env = {**os.environ, "CLAIMCHECK_CACHE_KEY": str(folder / "cache-key")}
    proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    out_size: list[int] = []
    err_lines: list[bytes] = []
    threads = [
        threading.Thread(target=_drain, args=(proc.stdout, out_size)),
        threading.Thread(target=lambda: err_lines.extend(proc.stderr.read().splitlines())),
    ]
    for t in threads:
        t.start()
    if file_name is None:
        with contextlib.suppress(BrokenPipeError):  # claimcheck stopped reading at its cap
            proc.stdin.write(text)
    with contextlib.suppress(BrokenPipeError):
        proc.stdin.close()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.monotonic() - started
    for t in threads:
        t.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    first = err_lines[0].decode("utf-8", "replace") if err_lines else ""
    return seconds, usage.ru_maxrss, proc.returncode, first


def main(names: list[str]) -> None:
    cache = "--cache" in names
    names = [n for n in names if n != "--cache"]
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, cache {'on' if cache else 'off'}")
    print(f"{'case':18} {'exit':>4} {'seconds':>8} {'peak MB':>8}  what / message")
    with tempfile.TemporaryDirectory() as tmp:
        for name in names or list(CASES):
            seconds, peak, code, err = run_case(name, Path(tmp), cache)
            print(f"{name:18} {code:>4} {seconds:>8.1f} {peak / 1024:>8.0f}  {CASES[name][0]}")
            if err:
                print(f"{'':42}{err[:160]}")
            shutil.rmtree(tmp)
            os.mkdir(tmp)


if __name__ == "__main__":
    main(sys.argv[1:])
