"""Text output for terminals and editors: ``path:line:col: CODE [verdict] message``."""

from __future__ import annotations

from claimcheck.escape import terminal
from claimcheck.records import VERDICTS


def render_text(report, verbose: bool = False) -> str:
    lines: list[str] = []
    for result in report.files:
        if result.error:
            continue  # errors go to standard error, one line each
        for notice in result.notices:
            lines.append(f"{result.path}: {notice}")
        for f in result.findings:
            evidence = f" [{f.evidence_id}]" if f.evidence_id else ""
            lines.append(
                f"{result.path}:{f.line}:{f.column}: {f.rule} [{f.verdict}] "
                f'{f.claim.claim_type}: "{_short(f.claim.text)}": {f.message}{evidence}'
            )
            if verbose and f.suggestion:
                lines.append(f"    suggestion: {f.suggestion}")
    findings = report.findings
    counts = ", ".join(f"{sum(1 for f in findings if f.verdict == v)} {v}" for v in reversed(VERDICTS))
    checked = len(report.files) - len(report.errors)
    errors = f", {len(report.errors)} file(s) with errors" if report.errors else ""
    lines.append(f"{len(findings)} claim finding(s) in {checked} file(s): {counts}{errors}")
    # Page copy, file names and evidence text never reach the terminal raw (escape.py).
    return "\n".join(terminal(line) for line in lines) + "\n"


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
