"""GitHub Actions output: workflow commands that become annotations on the changed lines.

One `::error` / `::warning` / `::notice` per finding, worst first, because GitHub shows only
the first ten annotations of each kind per step. The complete list goes to the step summary
($GITHUB_STEP_SUMMARY) as the Markdown review, via write_step_summary().
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

from claimcheck.core.escape import terminal
from claimcheck.core.records import Finding
from claimcheck.core.rule_codes import VERDICT_LEVELS, level_of
from claimcheck.report.markdown import citation_url, notice_lines, render_markdown, worst_first

# A SARIF level as a workflow command: GitHub calls a note a notice.
LEVEL_COMMANDS = {"error": "error", "warning": "warning", "note": "notice"}
COMMANDS = {verdict: LEVEL_COMMANDS[level] for verdict, level in VERDICT_LEVELS.items()}
# GitHub rejects a step summary over 1 MiB; keep well under it.
STEP_SUMMARY_LIMIT = 1_000_000


def escape_data(text: str) -> str:
    """Escape a workflow command's message: %, CR and LF."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command's property value: as data, plus ':' and ','."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(kind: str, message: str, **properties: object) -> str:
    """One workflow command line, e.g. ``::error file=a.md,line=3::message``. After the
    workflow escapes (which take out CR and LF), other control characters are shown escaped:
    the Actions log renders ANSI sequences."""
    props = ",".join(
        f"{key}={terminal(escape_property(str(value)))}" for key, value in properties.items() if value is not None
    )
    data = terminal(escape_data(message))
    return f"::{kind} {props}::{data}" if props else f"::{kind}::{data}"


def _slashes(path: str) -> str:
    """Forward slashes, except the backslash of an undecodable byte's escape (``caf\\xe9.txt``)."""
    return re.sub(r"\\(?!x[89a-f][0-9a-f])", "/", path)


def _message(f: Finding) -> str:
    """The claim, every rubric step, the words at fault, every evidence entry with its first
    link, and the suggestion: one line each."""
    lines = [f'"{" ".join(f.claim.text.split())}"']
    lines += [f"- {r}" for r in f.reasons if not r.startswith("verdict: ")]
    if f.highlights:
        lines.append("words: " + ", ".join(f"'{' '.join(h.text.split())}' ({h.why})" for h in f.highlights))
    for e in f.matched:
        moved = f"{e.entry_verdict} -> {e.verdict}" if e.entry_verdict != e.verdict else e.verdict
        links = [u for c in e.citations if (u := citation_url(c))]
        lines.append(f"evidence: {e.id} ({e.certainty} certainty; {moved})" + (f" {links[0]}" if links else ""))
    if f.suggestion:
        lines.append(f"suggestion: {f.suggestion}")
    return "\n".join(lines)


def render_github(report) -> str:
    """Workflow commands: findings worst first, then notices (each at its line and column) and
    unreadable files."""
    lines: list[str] = []
    for result, f in worst_first(report):
        path = _slashes(result.path)
        end_line = max(f.line, f.end_line)
        end_col = f.end_column if end_line > f.line else max(f.end_column, f.column + 1)
        lines.append(
            command(
                COMMANDS.get(f.verdict, "warning"),
                _message(f),
                file=path,
                line=f.line,
                col=f.column,
                endLine=end_line,
                endColumn=end_col,
                title=f"{f.rule} [{f.verdict}] {f.claim.claim_type} claim",
            )
        )
    for result, n in notice_lines(report):
        lines.append(
            command(
                LEVEL_COMMANDS[level_of(n.rule)],
                n.message,
                file=_slashes(result.path),
                line=n.line,
                col=n.column,
                title=f"{n.rule} claimcheck notice",
            )
        )
    for result in report.errors:
        lines.append(
            command(
                "error",
                result.error or "could not read the file",
                file=_slashes(result.path),
                title="claimcheck: input error",
            )
        )
    return "\n".join(lines) + "\n" if lines else ""


def write_step_summary(report, environ: Mapping[str, str] | None = None) -> Path | None:
    """Append the Markdown review to $GITHUB_STEP_SUMMARY when it is set; return the file, or None.

    The table is cut to stay under GitHub's 1 MiB step-summary limit; a closing line counts
    the findings left out.
    """
    env = os.environ if environ is None else environ
    target = env.get("GITHUB_STEP_SUMMARY")
    if not target:
        return None
    text = render_markdown(report)
    rows = len(report.findings)
    while len(text.encode("utf-8")) > STEP_SUMMARY_LIMIT and rows > 0:
        rows = rows // 2
        text = render_markdown(report, max_rows=rows)
    path = Path(target)
    with path.open("a", encoding="utf-8") as fh:
        fh.write(text + "\n")
    return path
