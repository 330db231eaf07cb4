"""The exact shape of a cache entry's result, checked before anything is built from it.

Why: a signed entry was written by this installation, but perhaps by another version of it,
and a reader must never crash half-way through a report on a value it did not expect
(``"verdict": "bogus"``, ``"line": null``). Every field is checked for its type and range
here, so that an entry either rebuilds into exactly the records a fresh check gives or is a
miss. The shape is the one ``cache.result_to_dict`` writes.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from claimcheck.core.records import CLAIM_TYPES, QUALIFIER_FIELDS, VERDICTS, Citation, Claim, EvidenceMatch, Finding
from claimcheck.core.rule_codes import CODE_SHAPE

_FORMATS = ("text", "markdown", "html")
_CLAIM_KEYS = frozenset(f.name for f in dataclasses.fields(Claim))
_CITATION_KEYS = frozenset(f.name for f in dataclasses.fields(Citation))
_FINDING_KEYS = frozenset(f.name for f in dataclasses.fields(Finding))
_MATCH_KEYS = frozenset(f.name for f in dataclasses.fields(EvidenceMatch))
_RESULT_KEYS = frozenset(
    {"path", "error", "notices", "source", "fmt", "findings", "claim_table", "citation_table", "reason_table"}
)
_QUALIFIERS = frozenset(QUALIFIER_FIELDS)


def _int(value: Any, low: int = 0, high: int | None = None) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= low and (high is None or value <= high)


def _str_or_none(value: Any) -> bool:
    return value is None or isinstance(value, str)


def _str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _claim(c: Any, size: int | None) -> bool:
    if not isinstance(c, dict) or set(c) != _CLAIM_KEYS:
        return False
    qualifiers = c["qualifiers"]
    return (
        c["claim_type"] in CLAIM_TYPES
        and isinstance(c["text"], str)
        and _int(c["start"], 0, size)
        and _int(c["end"], c["start"] if _int(c["start"]) else 0, size)
        and _str_or_none(c["intervention"])
        and _str_or_none(c["intervention_label"])
        and _str_list(c["concepts"])
        and isinstance(qualifiers, dict)
        and set(qualifiers) <= _QUALIFIERS
        and all(_str_list(v) for v in qualifiers.values())
        and isinstance(c["in_list"], bool)
        and isinstance(c["confidence"], int | float)
        and not isinstance(c["confidence"], bool)
        and 0.0 <= c["confidence"] <= 1.0
        and isinstance(c["explicit_subject"], bool)
        and (c["sentence_concepts"] is None or _str_list(c["sentence_concepts"]))
    )


def _citation(c: Any) -> bool:
    return (
        isinstance(c, dict)
        and set(c) == _CITATION_KEYS
        and isinstance(c["ref"], str)
        and all(_str_or_none(c[k]) for k in ("pmid", "doi", "url", "design", "seen_at"))
    )


def _indexes(value: Any, count: int) -> bool:
    return isinstance(value, list) and all(_int(i, 0, count - 1) for i in value)


def _match(e: Any, citations: int, reasons: int) -> bool:
    """One evidence entry a finding met (records.EvidenceMatch), reasons and citations by index."""
    if not isinstance(e, dict) or set(e) != _MATCH_KEYS:
        return False
    return (
        all(isinstance(e[k], str) for k in ("id", "topic", "certainty", "rule"))
        and CODE_SHAPE.fullmatch(e["rule"]) is not None
        and e["entry_verdict"] in VERDICTS
        and e["verdict"] in VERDICTS
        and _str_or_none(e["suggestion"])
        and _indexes(e["citations"], citations)
        and _indexes(e["reasons"], reasons)
    )


def _highlight(h: Any, size: int | None) -> bool:
    """[start, end, why, text]: words at fault, as source offsets."""
    return (
        isinstance(h, list)
        and len(h) == 4
        and _int(h[0], 0, size)
        and _int(h[1], h[0] if _int(h[0]) else 0, size)
        and isinstance(h[2], str)
        and isinstance(h[3], str)
    )


def _notice(n: Any) -> bool:
    """[rule, message, line, column, evidence_id] (records.Notice)."""
    return (
        isinstance(n, list)
        and len(n) == 5
        and isinstance(n[0], str)
        and CODE_SHAPE.fullmatch(n[0]) is not None
        and isinstance(n[1], str)
        and _int(n[2], 1)
        and _int(n[3], 1)
        and (n[4] is None or isinstance(n[4], str))
    )


def _finding(f: Any, claims: int, citations: int, reasons: int, size: int | None) -> bool:
    if not isinstance(f, dict) or set(f) != _FINDING_KEYS:
        return False
    return (
        isinstance(f["rule"], str)
        and CODE_SHAPE.fullmatch(f["rule"]) is not None
        and f["verdict"] in VERDICTS
        and _str_or_none(f["suggestion"])
        and all(_str_or_none(f[k]) for k in ("evidence_id", "evidence_topic", "certainty"))
        and all(_int(f[k], 1) for k in ("line", "column", "end_line", "end_column"))
        and _int(f["claim"], 0, claims - 1)
        and isinstance(f["citations"], list)
        and all(_int(i, 0, citations - 1) for i in f["citations"])
        and isinstance(f["reasons"], list)
        and bool(f["reasons"])
        and all(_int(i, 0, reasons - 1) for i in f["reasons"])
        and isinstance(f["evidence"], list)
        and all(_match(e, citations, reasons) for e in f["evidence"])
        and isinstance(f["highlights"], list)
        and all(_highlight(h, size) for h in f["highlights"])
    )


def valid_result(d: Any) -> bool:
    """Whether ``d`` is exactly a result as ``result_to_dict`` writes it for a checked file."""
    if not isinstance(d, dict) or set(d) != _RESULT_KEYS:
        return False
    source = d["source"]
    if not (
        isinstance(d["path"], str)
        and d["error"] is None
        and isinstance(d["notices"], list)
        and all(_notice(n) for n in d["notices"])
        and _str_or_none(source)
        and (d["fmt"] is None or d["fmt"] in _FORMATS)
        and isinstance(d["findings"], list)
        and isinstance(d["claim_table"], list)
        and isinstance(d["citation_table"], list)
        and _str_list(d["reason_table"])
    ):
        return False
    size = len(source) if isinstance(source, str) else None
    claims, citations, reasons = d["claim_table"], d["citation_table"], d["reason_table"]
    return (
        all(_claim(c, size) for c in claims)
        and all(_citation(c) for c in citations)
        and all(_finding(f, len(claims), len(citations), len(reasons), size) for f in d["findings"])
    )
