"""What a run reports of a checked file: the filters between the Checker's result and the report.

Why a module of its own: the Checker's result is cached and shared by every run, while these
depend on the project and the command line. Per file, in order: suppression comments (before
select/ignore, so a comment for an ignored rule still counts as used) -> rules enabled for
the file -> min-confidence -> changed lines (--diff-base). The baseline is applied last,
over the whole report (``apply_baseline``). Which findings a report *lists* (--min-verdict)
is the report's business (claimcheck.report.shown).
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from claimcheck.core.escape import surrogates
from claimcheck.core.records import FileResult, Finding, Report
from claimcheck.project.config import Config, rule_enabled


def filter_result(result: FileResult, config: Config, changed: Collection[int] | None = None) -> FileResult:
    """The result as the project reports it. ``changed``: the file's changed line numbers
    (--diff-base); None keeps findings on every line."""
    if result.error:
        return result
    findings, notices = list(result.findings), list(result.notices)
    if result.source is not None and "claimcheck-" in result.source:
        from claimcheck.project.suppressions import apply_suppressions

        findings, comment_notices = apply_suppressions(result.path, result.source, findings, result.fmt)
        notices = sorted([*notices, *comment_notices], key=lambda n: (n.line, n.column, n.rule))
    findings = [
        f for f in findings if rule_enabled(config, f.rule, result.path) and f.claim.confidence >= config.min_confidence
    ]
    notices = [n for n in notices if rule_enabled(config, n.rule, result.path)]
    if changed is not None:
        findings = on_lines(findings, changed)
    return FileResult(
        path=result.path, findings=findings, notices=notices, source=result.source, fmt=result.fmt, url=result.url
    )


def on_lines(findings: list[Finding], lines: Collection[int]) -> list[Finding]:
    """Findings that touch any of the lines (a finding spans line..end_line)."""
    return [f for f in findings if any(n in lines for n in range(f.line, (f.end_line or f.line) + 1))]


def apply_baseline(report: Report, baseline: Path) -> int:
    """Drop the findings the baseline file knows (fingerprints relative to its folder);
    returns how many matched."""
    from claimcheck.project.baseline import filter_new, load_baseline

    return filter_new(report, load_baseline(baseline), root=baseline.resolve().parent)


def shown(result: FileResult) -> FileResult:
    """A result as reported: a file name that is not UTF-8 (and any message quoting it) has its
    undecodable bytes shown as \\xNN, since no report format can carry them raw."""
    result.path = surrogates(result.path)
    if result.error:
        result.error = surrogates(result.error)
    for notice in result.notices:
        notice.message = surrogates(notice.message)
    return result
