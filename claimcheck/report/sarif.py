"""SARIF 2.1.0 output, shaped for GitHub code scanning.

Code scanning turns each result into an alert on the line of the claim, with the rule's
help (docs/rules.md and the rubric) one click away. partialFingerprints come from the rule,
the normalised claim text and the evidence entry, not the line, so an alert survives edits
that move the claim.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import re
from urllib.parse import quote

from claimcheck import __version__
from claimcheck.core.escape import json_text
from claimcheck.core.records import Finding, line_starts, short_reasons
from claimcheck.core.rule_codes import RUBRIC_SUMMARY, RULES, VERDICT_LEVELS, Rule, level_of
from claimcheck.report.markdown import citation_url, notice_lines, worst_first

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "claimcheck/v1"


def rule_ids() -> list[str]:
    """Every rule the driver declares: the registry's codes, sorted."""
    return sorted(RULES)


def _rule(rule: Rule) -> dict:
    help_md = rule.markdown() + "\n" + RUBRIC_SUMMARY
    return {
        "id": rule.code,
        "name": "".join(part.capitalize() for part in rule.name.split("-")),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": f"{rule.title}. {rule.flags}"},
        "help": {"text": help_md, "markdown": help_md},
        "defaultConfiguration": {"level": rule.level},
        "properties": {"tags": ["health-claims"]},
    }


def normalise_claim(text: str) -> str:
    """Lower-case, whitespace collapsed: the claim as the fingerprint sees it."""
    return " ".join(text.lower().split())


def fingerprint(rule: str, claim_text: str, evidence_id: str | None = None) -> str:
    """32 hex characters of sha256 over rule, normalised claim and evidence id(s) (no line numbers)."""
    key = f"{rule}\n{normalise_claim(claim_text)}\n{evidence_id or ''}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


_UNDECODABLE = re.compile(r"\\x([89a-f][0-9a-f])")  # a byte of a non-UTF-8 name, as escape.surrogates shows it


def artifact_uri(path: str) -> str:
    """The path as given, forward slashes, percent-encoded where a URI needs it; relative stays
    relative. A relative path's ":" is encoded too (RFC 3986, 4.2): ``c:d.txt`` would read as a
    URI of scheme ``c``. A checked URL stays the URL. An undecodable byte of a file name (shown
    as ``\\xe9``) is that byte percent-encoded (``%E9``), the URI of the file itself."""
    absolute = path.startswith(("/", "\\")) or path.lower().startswith(("http://", "https://"))
    safe = "/:@-._~!$&'()*+,;=" if absolute else "/@-._~!$&'()*+,;="
    parts = _UNDECODABLE.split(path)
    out = []
    for i, part in enumerate(parts):
        out.append(f"%{part.upper()}" if i % 2 else quote(part.replace("\\", "/"), safe=safe))
    return "".join(out)


def _region(f: Finding) -> dict:
    start_line, start_col = max(1, f.line), max(1, f.column)
    end_line = max(start_line, f.end_line)
    end_col = max(1, f.end_column)
    if end_line == start_line and end_col <= start_col:
        end_col = start_col + 1
    return {
        "startLine": start_line,
        "startColumn": start_col,
        "endLine": end_line,
        "endColumn": end_col,
        "snippet": {"text": f.claim.text},
    }


def _message(f: Finding) -> str:
    claim = " ".join(f.claim.text.split())
    if len(claim) > 200:
        claim = claim[:199].rstrip() + "…"
    text = f'{f.verdict.capitalize()} {f.claim.claim_type} claim: "{claim}".'
    steps = short_reasons(f.reasons)
    if steps:
        text += " " + " ".join(f"{i}. {step.rstrip(' .')}." for i, step in enumerate(steps, 1))
    for e in f.matched:
        text += f" Evidence: {e.id} ({e.certainty} certainty)."
        links = [u for c in e.citations if (u := citation_url(c))]
        if links:
            text += f" {links[0]}"
    if f.suggestion:
        text += f" Suggestion: {f.suggestion}"
    return text


def _location(uri: str, region: dict | None) -> dict:
    physical: dict = {"artifactLocation": {"uri": uri}}
    if region:
        physical["region"] = region
    return {"physicalLocation": physical}


def _related(uri: str, f: Finding, starts: list[int] | None) -> list[dict]:
    """The words at fault as related locations (needs the source to place them)."""
    if not starts:
        return []
    out = []
    for i, h in enumerate(f.highlights):
        line = bisect.bisect_right(starts, h.start) - 1
        end_line = bisect.bisect_right(starts, max(h.end - 1, h.start)) - 1
        region = {
            "startLine": line + 1,
            "startColumn": h.start - starts[line] + 1,
            "endLine": end_line + 1,
            "endColumn": h.end - starts[end_line] + 1,
            "snippet": {"text": h.text},
        }
        location = _location(uri, region)
        location["id"] = i
        location["message"] = {"text": f"{h.why}: {h.text}"}
        out.append(location)
    return out


def render_sarif(report) -> str:
    """The whole report as one SARIF 2.1.0 log with one run."""
    rules = rule_ids()
    index = {code: i for i, code in enumerate(rules)}
    results: list[dict] = []
    seen: dict[tuple[str, str], int] = {}
    starts = {id(r): line_starts(r.source) if r.source else None for r in report.files}
    for result, f in worst_first(report):
        uri = artifact_uri(result.path)
        digest = fingerprint(f.rule, f.claim.text, ",".join(f.evidence_ids) or None)
        seen[(uri, digest)] = seen.get((uri, digest), 0) + 1
        entry = {
            "ruleId": f.rule,
            "ruleIndex": index.get(f.rule, -1),
            "level": VERDICT_LEVELS.get(f.verdict, "warning"),
            "message": {"text": _message(f)},
            "locations": [_location(uri, _region(f))],
        }
        related = _related(uri, f, starts[id(result)])
        if related:
            entry["relatedLocations"] = related
        entry |= {
            # The occurrence count tells apart the same claim repeated in one file.
            "partialFingerprints": {FINGERPRINT_KEY: f"{digest}:{seen[(uri, digest)]}"},
            "properties": {
                "claim_type": f.claim.claim_type,
                "verdict": f.verdict,
                "evidence_id": f.evidence_id,
                "evidence_ids": f.evidence_ids,
                "certainty": f.certainty,
                "intervention": f.claim.intervention,
                "reasons": list(f.reasons),
                "suggestion": f.suggestion,
            },
        }
        results.append(entry)
    results.extend(_notice_results(report, index))
    notifications = [
        {
            "level": "error",
            "message": {"text": r.error or "could not read the file"},
            "locations": [_location(artifact_uri(r.path), None)],
        }
        for r in report.errors
    ]
    run = {
        "tool": {
            "driver": {
                "name": "claimcheck",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": [_rule(RULES[code]) for code in rules],
            }
        },
        "invocations": [{"executionSuccessful": True, "toolExecutionNotifications": notifications}],
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json_text(json.dumps(log, ensure_ascii=False, indent=2)) + "\n"


def _notice_results(report, index: dict[str, int]) -> list[dict]:
    """One result per notice at its code's level, at its line and column (stale evidence: at
    the first claim judged with that entry, with the entry's id; a suppression comment: at the
    comment)."""
    out = []
    seen: dict[tuple[str, str], int] = {}
    for result, n in notice_lines(report):
        uri = artifact_uri(result.path)
        evidence_id = n.evidence_id
        digest = fingerprint(n.rule, n.message if evidence_id is None else "", evidence_id)
        seen[(uri, digest)] = seen.get((uri, digest), 0) + 1
        region = {"startLine": max(1, n.line), "startColumn": max(1, n.column)}
        properties = {"notice": True} | ({"evidence_id": evidence_id} if evidence_id else {})
        out.append(
            {
                "ruleId": n.rule,
                "ruleIndex": index.get(n.rule, -1),
                "level": level_of(n.rule),
                "message": {"text": n.message},
                "locations": [_location(uri, region)],
                "partialFingerprints": {FINGERPRINT_KEY: f"{digest}:{seen[(uri, digest)]}"},
                "properties": properties,
            }
        )
    return out
