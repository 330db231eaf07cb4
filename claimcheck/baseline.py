"""Baselines: accept today's findings once, then report only new ones.

Why: a team adopting claimcheck on an existing site cannot fix 500 legacy claims before
turning the gate on (ruff's --add-noqa and SARIF's partialFingerprints solve the same
problem). A finding is identified by what it says, not where: the file, rule, claim type,
evidence entry and the claim's normalised wording -- never the line number -- so adding a
paragraph above a claim does not make it "new", while rewording it does.

The file is JSON: {"version": 1, "fingerprints": {"<sha256>": <count>}}. Counts keep
multiplicity: if a page repeats the same claim twice and the baseline holds it once, the
second copy is still reported.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import posixpath
import re
from collections import Counter
from pathlib import Path
from typing import Any

from claimcheck.fileio import read_regular, write_atomic
from claimcheck.records import Finding

VERSION = 1
MAX_BASELINE_BYTES = 64 * 1024 * 1024  # about 800,000 fingerprints


class BaselineError(Exception):
    """A baseline file that cannot be read or written; the message is one line naming it."""


def normalise_path(path: str, root: Path | None = None) -> str:
    """Relative to root (default: the working directory) when inside it, forward slashes.

    Pass the same root when writing and when checking (the baseline file's folder is a
    good choice), so running from another folder gives the same fingerprints."""
    if "://" in path or path.startswith("<"):  # URLs and <stdin> are names, not files
        return path
    p = Path(path)
    if p.is_absolute() or root is not None:
        with contextlib.suppress(ValueError):
            p = Path(os.path.abspath(p)).relative_to(os.path.abspath(root or Path.cwd()))
    return posixpath.normpath(p.as_posix().replace("\\", "/"))


def normalise_text(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def fingerprint(path: str, finding: Finding, root: Path | None = None) -> str:
    """sha256 of (path, rule, claim type, evidence id, normalised claim text); no line numbers."""
    parts = [
        normalise_path(path, root),
        finding.rule,
        finding.claim.claim_type,
        finding.evidence_id or "",
        normalise_text(finding.claim.text),
    ]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def fingerprints(report: Any, root: Path | None = None) -> Counter[str]:
    """How many findings of each fingerprint the report holds (files with errors have none)."""
    counts: Counter[str] = Counter()
    for result in report.files:
        for finding in result.findings:
            counts[fingerprint(result.path, finding, root)] += 1
    return counts


def write_baseline(report: Any, file: Path, root: Path | None = None) -> int:
    """Write the report's fingerprints to file atomically; returns how many findings it holds."""
    file = Path(file)
    counts = fingerprints(report, root)
    text = json.dumps({"version": VERSION, "fingerprints": dict(sorted(counts.items()))}, indent=2) + "\n"
    try:
        write_atomic(file, text)
    except OSError as exc:
        raise BaselineError(f"{file}: cannot write ({exc.strerror or exc})") from None
    return sum(counts.values())


def load_baseline(file: Path) -> dict[str, int]:
    """Read a baseline file: fingerprint -> count. BaselineError on any problem."""
    file = Path(file)
    try:
        data = json.loads(read_regular(file, MAX_BASELINE_BYTES).decode("utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"{file}: no such baseline file (write one with `claimcheck baseline write`)") from None
    except OSError as exc:
        raise BaselineError(f"{file}: cannot read ({exc.strerror or exc})") from None
    except UnicodeDecodeError as exc:
        raise BaselineError(f"{file}: not UTF-8 (byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{file}: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise BaselineError(f"{file}: not a claimcheck baseline (JSON nested too deeply)") from None
    if not isinstance(data, dict) or data.get("version") != VERSION:
        found = data.get("version") if isinstance(data, dict) else type(data).__name__
        raise BaselineError(f"{file}: not a claimcheck baseline (expected version {VERSION}, found {found!r})")
    prints = data.get("fingerprints")
    if not isinstance(prints, dict):
        raise BaselineError(f"{file}: 'fingerprints' must be an object of fingerprint: count")
    for key, count in prints.items():
        if not re.fullmatch(r"[0-9a-f]{64}", key) or isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise BaselineError(f"{file}: fingerprints[{key!r}]: expected a sha256 key and a count of at least 1")
    return dict(prints)


def filter_new(report: Any, baseline: dict[str, int], root: Path | None = None) -> int:
    """Drop findings the baseline holds (each entry absorbs at most its count); return how many."""
    remaining = Counter(baseline)
    matched = 0
    for result in report.files:
        kept: list[Finding] = []
        for finding in result.findings:
            fp = fingerprint(result.path, finding, root)
            if remaining[fp] > 0:
                remaining[fp] -= 1
                matched += 1
            else:
                kept.append(finding)
        result.findings = kept
    return matched
