"""JSON output: the versioned contract in docs/json-schema.md (schema_version 2), and JSON
Lines (one file's object a line, as in ``files``), which can be written as results arrive.

Version 2: one finding per (claim span, claim type), carrying every matched evidence entry
worst first, the combined verdict (the worst of theirs), every rubric step, and the
highlights (the words the verdict turns on). Notices are objects with a rule and a position.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator

from claimcheck import __version__
from claimcheck.core import fastjson
from claimcheck.core.escape import json_text
from claimcheck.core.records import CLAIM_TYPES, VERDICTS, FileResult, Finding, Notice

SCHEMA_VERSION = 2
FINDINGS_PER_PIECE = 500


def finding_json(f: Finding) -> dict:
    c = f.claim
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
        "highlights": [{"start": h.start, "end": h.end, "why": h.why, "text": h.text} for h in f.highlights],
        "evidence": [
            {
                "id": e.id,
                "topic": e.topic,
                "certainty": e.certainty,
                "entry_verdict": e.entry_verdict,
                "verdict": e.verdict,
                "rule": e.rule,
                "reasons": list(e.reasons),
                "suggestion": e.suggestion,
                "citations": [cit.to_json() for cit in e.citations],
            }
            for e in f.matched
        ],
        "reasons": list(f.reasons),
        "suggestion": f.suggestion,
    }


def notice_json(n: Notice) -> dict:
    return {"rule": n.rule, "line": n.line, "column": n.column, "message": n.message}


def summary_json(report) -> dict:
    findings = report.findings
    return {
        "files": len(report.files),
        "files_with_errors": len(report.errors),
        "findings": len(findings),
        "by_verdict": {v: sum(1 for f in findings if f.verdict == v) for v in VERDICTS},
        "by_type": {t: sum(1 for f in findings if f.claim.claim_type == t) for t in CLAIM_TYPES},
        "by_rule": dict(sorted(Counter(f.rule for f in findings).items())),
        "notices": sum(len(r.notices) for r in report.files),
    }


def render_json(report) -> str:
    return "".join(iter_json(report))


def iter_json(report) -> Iterator[str]:
    """The JSON report in pieces, one file at a time, so a large run is written as it is
    encoded instead of being built whole in memory. One finding per line: readable, easy to
    grep, and encoded by json's C encoder (``indent`` would switch to the slow Python one).
    Characters a terminal acts on are \\u escapes even where JSON allows them raw (escape.json_text)."""

    def dumps(value) -> str:
        return json_text(fastjson.dumps(value))

    yield "{\n"
    yield f'  "schema_version": {SCHEMA_VERSION},\n'
    yield f'  "tool": {dumps({"name": "claimcheck", "version": __version__})},\n'
    yield '  "files": ['
    for i, r in enumerate(report.files):
        head = dumps(_file_head(r))[:-1]
        if not r.findings:
            yield f'{"," if i else ""}\n    {head}, "findings": []}}'
            continue
        yield f'{"," if i else ""}\n    {head}, "findings": [\n'
        # A few hundred findings a piece: a file with 100,000 claims is never one string.
        for lo in range(0, len(r.findings), FINDINGS_PER_PIECE):
            lines = ",\n".join(f"      {dumps(finding_json(f))}" for f in r.findings[lo : lo + FINDINGS_PER_PIECE])
            yield f",\n{lines}" if lo else lines
        yield "\n    ]}"
    yield "\n  ]," if report.files else "],"
    yield f'\n  "summary": {dumps(summary_json(report))}\n}}\n'


def _file_head(r: FileResult) -> dict:
    """A file's fields before its findings; ``url`` only for crawl records that have one."""
    notices = [notice_json(n) for n in r.notices]
    if r.url is None:
        return {"path": r.path, "error": r.error, "notices": notices}
    return {"path": r.path, "url": r.url, "error": r.error, "notices": notices}


def jsonl_line(r: FileResult) -> str:
    """One file's object (the same as its entry in the JSON report's ``files``, version 2
    findings and notices) on one line, escaped as the JSON report is (escape.json_text)."""
    return json_text(fastjson.dumps({**_file_head(r), "findings": [finding_json(f) for f in r.findings]})) + "\n"


def iter_jsonl(files: Iterable[FileResult]) -> Iterator[str]:
    """The JSON Lines report: one line a file, in order; nothing else (no summary line)."""
    for r in files:
        yield jsonl_line(r)


def iter_jsonl_report(report) -> Iterator[str]:
    """A report as JSON Lines, in pieces (one a file)."""
    return iter_jsonl(report.files)


def render_jsonl(report) -> str:
    """A report as JSON Lines: one line a file, each as in the JSON report's files."""
    return "".join(iter_jsonl(report.files))
