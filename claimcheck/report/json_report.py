"""JSON output: the versioned contract in docs/json-schema.md (schema_version 1), and JSON
Lines (one file's object a line, as in ``files``), which can be written as results arrive."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator

from claimcheck import __version__, fastjson
from claimcheck.records import CLAIM_TYPES, VERDICTS, FileResult, Finding

SCHEMA_VERSION = 1


def finding_json(f: Finding) -> dict:
    c = f.claim
    evidence = None
    if f.evidence_id:
        evidence = {
            "id": f.evidence_id,
            "topic": f.evidence_topic,
            "certainty": f.certainty,
            "citations": [cit.to_json() for cit in f.citations],
        }
    return {
        "rule": f.rule,
        "claim_type": c.claim_type,
        "verdict": f.verdict,
        "text": c.text,
        "start": c.start,
        "end": c.end,
        "line": f.line,
        "column": f.column,
        "end_line": f.end_line,
        "end_column": f.end_column,
        "intervention": c.intervention,
        "confidence": round(c.confidence, 3),
        "qualifiers": c.qualifiers.present(),
        "evidence": evidence,
        "reasons": list(f.reasons),
        "suggestion": f.suggestion,
    }


def summary_json(report) -> dict:
    findings = report.findings
    return {
        "files": len(report.files),
        "files_with_errors": len(report.errors),
        "findings": len(findings),
        "by_verdict": {v: sum(1 for f in findings if f.verdict == v) for v in VERDICTS},
        "by_type": {t: sum(1 for f in findings if f.claim.claim_type == t) for t in CLAIM_TYPES},
        "by_rule": dict(sorted(Counter(f.rule for f in findings).items())),
    }


def render_json(report) -> str:
    return "".join(iter_json(report))


def iter_json(report) -> Iterator[str]:
    """The JSON report in pieces, one file at a time, so a large run is written as it is
    encoded instead of being built whole in memory. One finding per line: readable, easy to
    grep, and encoded by json's C encoder (``indent`` would switch to the slow Python one)."""
    dumps = fastjson.dumps
    yield "{\n"
    yield f'  "schema_version": {SCHEMA_VERSION},\n'
    yield f'  "tool": {dumps({"name": "claimcheck", "version": __version__})},\n'
    yield '  "files": ['
    for i, r in enumerate(report.files):
        head = dumps(_file_head(r))[:-1]
        lines = ",\n".join(f"      {dumps(finding_json(f))}" for f in r.findings)
        body = f"[\n{lines}\n    ]" if lines else "[]"
        yield f'{"," if i else ""}\n    {head}, "findings": {body}}}'
    yield "\n  ]," if report.files else "],"
    yield f'\n  "summary": {dumps(summary_json(report))}\n}}\n'


def _file_head(r: FileResult) -> dict:
    """A file's fields before its findings; ``url`` only for crawl records."""
    if r.url is None:
        return {"path": r.path, "error": r.error, "notices": list(r.notices)}
    return {"path": r.path, "url": r.url, "error": r.error, "notices": list(r.notices)}


def jsonl_line(r: FileResult) -> str:
    """One file's object (the same as its entry in the JSON report's ``files``) on one line."""
    return fastjson.dumps({**_file_head(r), "findings": [finding_json(f) for f in r.findings]}) + "\n"


def iter_jsonl(files: Iterable[FileResult]) -> Iterator[str]:
    """The JSON Lines report: one line a file, in order; nothing else (no summary line)."""
    for r in files:
        yield jsonl_line(r)
