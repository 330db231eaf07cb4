"""A content-addressed cache of per-file results in .claimcheck_cache/.

Why: spaCy plus the classifier cost far more per sentence than a regex linter, and CI
re-runs mostly see unchanged pages. A result depends only on the file's bytes and on
what judged them, so the key is sha256(bytes, claimcheck version, settings), where the
caller's settings string covers everything else that changes a result: the format the
bytes are parsed as, min-confidence, and hashes of the rules, evidence and model (see
``digest_files`` and ``settings_key``). Paths are not in the key: a moved page is a hit.

The folder carries a CACHEDIR.TAG (backup tools skip it) and a .gitignore of "*" (git
never offers it), like ruff's .ruff_cache. Entries are written atomically, so parallel
workers never read half an entry; a corrupt or outdated entry is a miss, never an error.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from claimcheck import __version__, fastjson
from claimcheck.fileio import write_atomic
from claimcheck.records import Citation, Claim, EvidenceMatch, FileResult, Finding, Highlight, Notice, Qualifiers

CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by claimcheck.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)
ENTRY_VERSION = 3  # 2: claims, citations and reasons stored once per entry, by index; 3: evidence, highlights, notices
FINDING_SCALARS = tuple(
    f.name
    for f in dataclasses.fields(Finding)
    if f.name not in ("claim", "citations", "reasons", "evidence", "highlights")
)

_MATCH_SCALARS = tuple(f.name for f in dataclasses.fields(EvidenceMatch) if f.name not in ("reasons", "citations"))


def result_to_dict(result: FileResult) -> dict[str, Any]:
    """Plain JSON-able data for a FileResult, every nested record included. Claims,
    citations and reasons repeat across findings (one claim can meet several evidence
    entries; one entry backs many claims), so each is stored once in a table and findings
    refer to it by index, and a claim keeps only the qualifiers it has: entries are a
    fraction of the size and a cached run reads them several times faster."""
    tables: dict[str, dict[str, int]] = {"claim": {}, "citation": {}, "reason": {}}
    rows: dict[str, list[Any]] = {"claim": [], "citation": [], "reason": []}

    def ref(kind: str, value: Any, key: str) -> int:
        if key not in tables[kind]:
            tables[kind][key] = len(rows[kind])
            rows[kind].append(value)
        return tables[kind][key]

    findings = []
    for finding in result.findings:
        claim = dataclasses.asdict(finding.claim)
        claim["qualifiers"] = finding.claim.qualifiers.present()
        row = {name: getattr(finding, name) for name in FINDING_SCALARS}
        row["claim"] = ref("claim", claim, str(id(finding.claim)))
        row["citations"] = [
            ref("citation", c.__dict__, json.dumps(c.__dict__, sort_keys=True)) for c in finding.citations
        ]
        row["reasons"] = [ref("reason", r, r) for r in finding.reasons]
        row["evidence"] = [
            {
                **{k: getattr(e, k) for k in _MATCH_SCALARS},
                "reasons": [ref("reason", r, r) for r in e.reasons],
                "citations": [ref("citation", c.__dict__, json.dumps(c.__dict__, sort_keys=True)) for c in e.citations],
            }
            for e in finding.evidence
        ]
        row["highlights"] = [[h.start, h.end, h.why, h.text] for h in finding.highlights]
        findings.append(row)
    return {
        "path": result.path,
        "error": result.error,
        "notices": [[n.rule, n.message, n.line, n.column] for n in result.notices],
        "source": result.source,
        "fmt": result.fmt,
        "findings": findings,
        "claim_table": rows["claim"],
        "citation_table": rows["citation"],
        "reason_table": rows["reason"],
    }


def result_from_dict(d: dict[str, Any]) -> FileResult:
    """The inverse of result_to_dict; TypeError/KeyError/IndexError when the shape does not match."""
    claims = [Claim(**{**c, "qualifiers": Qualifiers(**c["qualifiers"])}) for c in d["claim_table"]]
    citations = [Citation(**c) for c in d["citation_table"]]
    reasons = d["reason_table"]
    findings = [
        Finding(
            **{name: f[name] for name in FINDING_SCALARS},
            claim=claims[f["claim"]],
            citations=[citations[i] for i in f["citations"]],
            reasons=[reasons[i] for i in f["reasons"]],
            evidence=[
                EvidenceMatch(
                    **{k: e[k] for k in _MATCH_SCALARS},
                    reasons=[reasons[i] for i in e["reasons"]],
                    citations=[citations[i] for i in e["citations"]],
                )
                for e in f["evidence"]
            ],
            highlights=[Highlight(*h) for h in f["highlights"]],
        )
        for f in d["findings"]
    ]
    notices = [Notice(*n) for n in d["notices"]]
    return FileResult(
        path=d["path"], error=d["error"], notices=notices, source=d["source"], fmt=d["fmt"], findings=findings
    )


def digest_files(paths: Iterable[Path]) -> str:
    """sha256 over files (folders walked, sorted): names and bytes. For rules, evidence, model."""
    h = hashlib.sha256()
    for root in paths:
        root = Path(root)
        files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
        for f in files:
            name = f.relative_to(root).as_posix() if root.is_dir() else f.name
            try:
                data = f.read_bytes()
            except OSError:
                data = b"<unreadable>"
            h.update(f"{name}\0{len(data)}\0".encode())
            h.update(data)
        h.update(b"\1")
    return h.hexdigest()


def settings_key(**parts: Any) -> str:
    """A canonical settings string from named parts (format, min_confidence, digests...)."""
    return json.dumps(parts, sort_keys=True, default=str, separators=(",", ":"))


class ResultCache:
    """FileResults stored as JSON files named by their key."""

    def __init__(self, folder: Path = Path(".claimcheck_cache")) -> None:
        self.folder = Path(folder)

    def key(self, data: bytes, settings: str) -> str:
        h = hashlib.sha256()
        for part in (data, __version__.encode(), settings.encode("utf-8")):
            h.update(len(part).to_bytes(8, "big"))  # length-prefixed: no two inputs collide
            h.update(part)
        return h.hexdigest()

    def _entry(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def get(self, key: str, path: str | None = None) -> FileResult | None:
        """The stored result, or None (missing, corrupt or from another cache version).

        path: the file now being checked; it replaces the stored path, since equal bytes
        at two paths share an entry."""
        try:
            entry = fastjson.loads(self._entry(key).read_bytes())
            if entry.get("version") != ENTRY_VERSION or entry.get("key") != key:
                return None
            result = result_from_dict(entry["result"])
        except (OSError, ValueError, TypeError, KeyError, AttributeError, IndexError):
            return None
        if path is not None:
            result.path = path
        return result

    def _prepare(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        tag = self.folder / "CACHEDIR.TAG"
        if not tag.is_file():
            write_atomic(tag, CACHEDIR_TAG)
        ignore = self.folder / ".gitignore"
        if not ignore.is_file():
            write_atomic(ignore, "*\n")

    def put(self, key: str, result: FileResult) -> bool:
        """Store a result; False (and no exception) when the folder cannot be written."""
        text = fastjson.dumps({"version": ENTRY_VERSION, "key": key, "result": result_to_dict(result)})
        try:
            self._prepare()
            write_atomic(self._entry(key), text)
        except OSError:
            return False
        return True

    def clear(self) -> None:
        """Remove the cache folder (only if it is ours: it has our CACHEDIR.TAG)."""
        tag = self.folder / "CACHEDIR.TAG"
        if tag.is_file() and tag.read_text(encoding="utf-8", errors="replace").startswith(CACHEDIR_TAG[:50]):
            shutil.rmtree(self.folder, ignore_errors=True)
