"""Terminal output for people: `full` (grouped by file, the source line with the claim
underlined, reason, evidence, suggestion) and `concise` (one line a finding, for editors).

Colour is ANSI only and only when asked for: the caller decides with should_color(), which
honours NO_COLOR (https://no-color.org) and only colours a terminal.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Mapping
from typing import TextIO

from claimcheck.escape import terminal
from claimcheck.records import FileResult, Finding
from claimcheck.report.markdown import citation_url, counts_line

_RESET = "\x1b[0m"
_STYLES = {
    "unsupported": "\x1b[1;31m",
    "mixed": "\x1b[1;33m",
    "supported": "\x1b[1;32m",
    "path": "\x1b[1m",
    "gutter": "\x1b[2m",
    "code": "\x1b[1m",
}
WINDOW = 120  # longest source line shown in full; longer ones are cut around the claim
CONTEXT = 40


def should_color(stream: TextIO, environ: Mapping[str, str] | None = None) -> bool:
    """Colour only on a terminal, never with NO_COLOR set (non-empty) or TERM=dumb."""
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR"):
        return False
    if env.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def render_concise(report) -> str:
    """``path:line:col: CODE [verdict] type: "claim": message``: one line a finding (notices
    about a whole file at 1:1), nothing else, so editors can parse every line. Errors go to
    standard error."""
    lines: list[str] = []
    for result in report.files:
        if result.error:
            continue
        lines += [f"{result.path}:1:1: {notice}" for notice in result.notices]
        for f in result.findings:
            claim = " ".join(f.claim.text.split())
            where = f"{result.path}:{f.line}:{f.column}"
            lines.append(f'{where}: {f.rule} [{f.verdict}] {f.claim.claim_type}: "{claim}": {f.message}')
    return "\n".join(terminal(line) for line in lines) + "\n" if lines else ""


def _width(text: str) -> int:
    """Columns a string takes on a terminal: wide East Asian and emoji 2, combining marks 0."""
    total = 0
    for ch in text:
        if unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        total += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return total


def source_excerpt(line_text: str, start: int, end: int) -> tuple[str, int, int]:
    """(shown line, caret offset, caret count) for the claim at [start, end) of one line.

    Long lines are cut to the claim and some context, with an ellipsis on the cut sides;
    tabs become one space so the carets line up. Control characters are shown escaped
    (escape.terminal), and the carets are placed under the escaped text.
    """
    line_text = line_text.rstrip("\r").replace("\t", " ")
    start = min(max(start, 0), len(line_text))
    end = min(max(end, start + 1), max(len(line_text), start + 1))
    left, right = 0, len(line_text)
    if len(line_text) > WINDOW:
        left = max(0, start - CONTEXT)
        right = min(len(line_text), end + CONTEXT, start + WINDOW)
    prefix = "…" if left > 0 else ""
    suffix = "…" if right < len(line_text) else ""
    before, claim = terminal(line_text[left:start]), terminal(line_text[start : min(end, right)])
    shown = prefix + before + claim + terminal(line_text[min(end, right) : right]) + suffix
    offset = _width(prefix + before)
    count = max(1, _width(claim))
    return shown, offset, count


def _lines(source: str | None) -> list[str]:
    return source.split("\n") if source else []


def _finding_block(f: Finding, lines: list[str], paint) -> list[str]:
    out = [f"  {f.line}:{f.column} {paint('code', f.rule)} {paint(f.verdict, f'[{f.verdict}]')} {f.claim.claim_type}"]
    gutter = str(f.line)
    pad = " " * len(gutter)
    if 0 < f.line <= len(lines):
        text = lines[f.line - 1]
        end = f.end_column - 1 if f.end_line == f.line else len(text.rstrip("\r"))
        shown, offset, count = source_excerpt(text, f.column - 1, end)
        out.append(f"    {paint('gutter', gutter + ' |')} {shown}")
        out.append(f"    {paint('gutter', pad + ' |')} {' ' * offset}{paint(f.verdict, '^' * count)}")
    else:  # no source kept: show the claim itself
        out.append(f'    {paint("gutter", gutter + " |")} "{terminal(" ".join(f.claim.text.split()))}"')
    out.append(f"    {terminal(f.message)}")
    if f.evidence_id:
        links = [u for c in f.citations if (u := citation_url(c))]
        link = f" {links[0]}" if links else ""
        out.append(terminal(f"    evidence: {f.evidence_id} ({f.certainty}){link}"))
    else:
        out.append("    evidence: none on file")
    if f.suggestion:
        out.append(f"    suggestion: {terminal(f.suggestion)}")
    return out


def _file_block(result: FileResult, paint) -> list[str]:
    out = [paint("path", terminal(result.path))]
    for notice in result.notices:
        out.append(f"  notice: {terminal(notice)}")
    if not result.findings:
        out.append("  no health claims found")
    lines = _lines(result.source)
    for f in result.findings:
        out.extend(_finding_block(f, lines, paint))
        out.append("")
    if out[-1] != "":
        out.append("")
    return out


def render_full(report, color: bool = False) -> str:
    """Findings grouped by file with the claim underlined in its source line; ANSI colour when color."""

    def paint(style: str, text: str) -> str:
        return f"{_STYLES[style]}{text}{_RESET}" if color and style in _STYLES else text

    out: list[str] = []
    for result in report.files:
        if result.error:
            continue  # errors go to standard error, one line each
        out.extend(_file_block(result, paint))
    out.append(counts_line(report))
    return "\n".join(out) + "\n"
