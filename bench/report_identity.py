"""Prove that a refactor changed no report: save every report once, compare after the change.

A restructuring of the code (moving modules, splitting functions, moving word lists into
data) must not change what a reviewer sees. This script runs the installed ``claimcheck``
as a fresh process, cache off, on three input sets and writes each report under a folder:

- ``../shared/seeds`` (when present) and ``../shared/acceptance/adcopy/docs`` (when present);
- ``examples/``;
- the project corpus (``corpus/docs/*.jsonl``) written out as pages, one per document,
  alternating Markdown and plain text (the same pages ``bench/throughput.py`` builds).

Each set is reported in every format (JSON, SARIF, Markdown, GitHub, full, text, HTML).

    python bench/report_identity.py save /tmp/before      # on the commit before the change
    python bench/report_identity.py compare /tmp/before   # on the commit after it

``compare`` prints one line per report and exits 1 when any differs (with a unified diff of
the first lines that differ), 0 when all are byte-identical.
"""

from __future__ import annotations

import argparse
import difflib
import random
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
from throughput import _pages, _render  # noqa: E402  (bench scripts share the page builder)

FORMATS = ["json", "sarif", "markdown", "github", "full", "text", "html"]


def _write_corpus_pages(folder: Path) -> Path:
    """The corpus as one page per document, deterministic (seeded) layout."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(0)
    for n, (doc_id, sentences) in enumerate(_pages()):
        markdown = n % 2 == 0
        (folder / f"{doc_id}.{'md' if markdown else 'txt'}").write_text(
            _render(sentences, markdown, rng), encoding="utf-8"
        )
    return folder


def _input_sets(scratch: Path) -> dict[str, Path]:
    sets = {"examples": REPO / "examples", "corpus": _write_corpus_pages(scratch / "corpus")}
    shared = REPO.parent / "shared"
    for name, path in (("seeds", shared / "seeds"), ("adcopy", shared / "acceptance" / "adcopy" / "docs")):
        if path.is_dir():
            sets[name] = path
    return sets


def _report(path: Path, fmt: str, cwd: Path) -> bytes:
    """One report, run from ``cwd`` so that the paths inside it do not depend on the machine."""
    cmd = [sys.executable, "-m", "claimcheck", "check", path.name, "--format", fmt, "--fail-on", "never", "--no-cache"]
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} (in {cwd}) exited {done.returncode}: {done.stderr.decode()[-400:]}")
    return done.stdout


def _reports(scratch: Path) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    for name, path in _input_sets(scratch).items():
        for fmt in FORMATS:
            out[f"{name}.{fmt}"] = _report(path, fmt, path.parent)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["save", "compare"])
    parser.add_argument("folder", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        reports = _reports(Path(tmp))
    if args.action == "save":
        args.folder.mkdir(parents=True, exist_ok=True)
        for key, data in reports.items():
            (args.folder / key).write_bytes(data)
        print(f"saved {len(reports)} reports to {args.folder}")
        return 0
    differ = 0
    for key, data in reports.items():
        before_path = args.folder / key
        before = before_path.read_bytes() if before_path.is_file() else None
        same = before == data
        differ += not same
        print(f"{'identical' if same else 'DIFFERENT'}  {key}  ({len(data):,} bytes)")
        if not same and before is not None:
            diff = difflib.unified_diff(
                before.decode(errors="replace").splitlines(), data.decode(errors="replace").splitlines(), lineterm=""
            )
            print("\n".join(list(diff)[:20]))
    print(f"{len(reports) - differ} of {len(reports)} reports byte-identical")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
