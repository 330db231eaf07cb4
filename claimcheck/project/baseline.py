"""Baselines: accept today's findings once, then report only new ones.

Why: a team adopting claimcheck on an existing site cannot fix 500 legacy claims before
turning the gate on (ruff's --add-noqa and SARIF's partialFingerprints solve the same
problem). A finding is identified by what it says, not where: the file, rule, claim type,
evidence entries and the claim's normalised wording -- never the line number -- so adding a
paragraph above a claim does not make it "new", while rewording it does.

The file is JSON that a reviewer can read (version 2): one entry per accepted finding with
its fingerprint beside the path, line, rule, claim type, verdict, evidence ids and the claim
text, so a pull request that changes the baseline shows which claims were accepted:

    {"version": 2, "generator": "claimcheck 0.2.0",
     "findings": [{"fingerprint": "<sha256>", "path": "content/page.md", "line": 7,
                   "rule": "CC101", "claim_type": "efficacy", "verdict": "unsupported",
                   "evidence": ["dn.headache.migraine"], "text": "Dry needling cures migraines."}]}

Only ``fingerprint`` is matched; the rest is for people. A claim repeated on a page is two
entries, so the second copy is still reported when the baseline holds it once. Version 1
files ({"version": 1, "fingerprints": {"<sha256>": <count>}}) are still read.
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

from claimcheck.core.fileio import read_regular, write_atomic
from claimcheck.core.records import Finding

VERSION = 2
READABLE = (1, 2)
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


def _digest(path: str, finding: Finding, evidence: str, root: Path | None) -> str:
    parts = [
        normalise_path(path, root),
        finding.rule,
        finding.claim.claim_type,
        evidence,
        normalise_text(finding.claim.text),
    ]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def fingerprint(path: str, finding: Finding, root: Path | None = None) -> str:
    """sha256 of (path, rule, claim type, evidence ids, normalised claim text); no line numbers."""
    return _digest(path, finding, ",".join(finding.evidence_ids), root)


def _candidates(path: str, finding: Finding, root: Path | None) -> list[str]:
    """The finding's fingerprint, then those a version 1 baseline held for it: one per
    matched evidence entry (version 1 had one finding per entry)."""
    ids = finding.evidence_ids
    out = [fingerprint(path, finding, root)]
    if len(ids) > 1:
        out += [_digest(path, finding, i, root) for i in ids]
    return out


def fingerprints(report: Any, root: Path | None = None) -> Counter[str]:
    """How many findings of each fingerprint the report holds (files with errors have none)."""
    counts: Counter[str] = Counter()
    for result in report.files:
        for finding in result.findings:
            counts[fingerprint(result.path, finding, root)] += 1
    return counts


def entries(report: Any, root: Path | None = None) -> list[dict]:
    """One readable entry per finding, in file order then position."""
    out = []
    for result in report.files:
        for f in result.findings:
            out.append(
                {
                    "fingerprint": fingerprint(result.path, f, root),
                    "path": normalise_path(result.path, root),
                    "line": f.line,
                    "rule": f.rule,
                    "claim_type": f.claim.claim_type,
                    "verdict": f.verdict,
                    "evidence": f.evidence_ids,
                    "text": " ".join(f.claim.text.split()),
                }
            )
    return out


def write_baseline(report: Any, file: Path, root: Path | None = None) -> int:
    """Write the report's findings to file atomically; returns how many it holds."""
    from claimcheck import __version__

    file = Path(file)
    found = entries(report, root)
    lines = ",\n".join("    " + json.dumps(e, ensure_ascii=False) for e in found)
    body = f"[\n{lines}\n  ]" if found else "[]"
    text = f'{{\n  "version": {VERSION},\n  "generator": "claimcheck {__version__}",\n  "findings": {body}\n}}\n'
    try:
        write_atomic(file, text)
    except OSError as exc:
        raise BaselineError(f"{file}: cannot write ({exc.strerror or exc})") from None
    return len(found)


def load_baseline(file: Path) -> dict[str, int]:
    """Read a baseline file (version 1 or 2): fingerprint -> count. BaselineError on any problem."""
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
    if not isinstance(data, dict) or data.get("version") not in READABLE:
        found = data.get("version") if isinstance(data, dict) else type(data).__name__
        raise BaselineError(f"{file}: not a claimcheck baseline (expected version 1 or 2, found {found!r})")
    if data["version"] == 2:
        return _load_v2(file, data)
    prints = data.get("fingerprints")
    if not isinstance(prints, dict):
        raise BaselineError(f"{file}: 'fingerprints' must be an object of fingerprint: count")
    for key, count in prints.items():
        if not _SHA.fullmatch(key) or isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise BaselineError(f"{file}: fingerprints[{key!r}]: expected a sha256 key and a count of at least 1")
    return dict(prints)


_SHA = re.compile(r"[0-9a-f]{64}")


def _load_v2(file: Path, data: dict) -> dict[str, int]:
    items = data.get("findings")
    if not isinstance(items, list):
        raise BaselineError(f"{file}: 'findings' must be a list of entries")
    counts: Counter[str] = Counter()
    for i, item in enumerate(items):
        key = item.get("fingerprint") if isinstance(item, dict) else None
        if not isinstance(key, str) or not _SHA.fullmatch(key):
            raise BaselineError(f"{file}: findings[{i}]: expected an entry with a sha256 'fingerprint'")
        counts[key] += 1
    return dict(counts)


def filter_new(report: Any, baseline: dict[str, int], root: Path | None = None) -> int:
    """Drop findings the baseline holds (each entry absorbs at most its count); return how many."""
    remaining = Counter(baseline)
    return sum(filter_result(result, remaining, root) for result in report.files)


def filter_result(result: Any, remaining: Counter[str], root: Path | None = None) -> int:
    """``filter_new`` for one file's result, as results pass (a streamed report): drop the
    findings ``remaining`` still holds, taking each from it; return how many."""
    kept: list[Finding] = []
    matched = 0
    for finding in result.findings:
        fp = next((c for c in _candidates(result.path, finding, root) if remaining[c] > 0), None)
        if fp is not None:
            remaining[fp] -= 1
            matched += 1
        else:
            kept.append(finding)
    result.findings = kept
    return matched
