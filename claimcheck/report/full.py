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

from claimcheck.core.escape import terminal
from claimcheck.core.records import FileResult, Finding, Notice, line_starts
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
    """``path:line:col: CODE [verdict] type: "claim": message``: one line a finding, every
    rubric step in the message; notices as ``path:line:col: CODE [notice] message`` at their
    own position. Nothing else, so editors can parse every line. Errors go to standard error."""
    lines: list[str] = []
    for result in report.files:
        if result.error:
            continue
        lines.extend(line for _, line in _positioned(result, concise_line))
    # Page copy, file names and evidence text never reach the terminal raw (escape.py).
    return "\n".join(terminal(line) for line in lines) + "\n" if lines else ""


def concise_line(path: str, f: Finding) -> str:
    claim = " ".join(f.claim.text.split())
    return f'{path}:{f.line}:{f.column}: {f.rule} [{f.verdict}] {f.claim.claim_type}: "{claim}": {f.message}'


def notice_line(path: str, n: Notice) -> str:
    """One line, escaped for a terminal (escape.terminal)."""
    return terminal(f"{path}:{n.line}:{n.column}: {n.rule} [notice] {n.message}")


def _positioned(result: FileResult, finding_line) -> list[tuple[tuple[int, int], str]]:
    """A file's notices and findings as lines, in order of position (a notice first on a tie)."""
    items = [((n.line, n.column, 0), notice_line(result.path, n)) for n in result.notices]
    items += [((f.line, f.column, 1), finding_line(result.path, f)) for f in result.findings]
    items.sort(key=lambda item: item[0])
    return [(key[:2], line) for key, line in items]


def _width(text: str) -> int:
    """Columns a string takes on a terminal: wide East Asian and emoji 2, combining marks 0."""
    total = 0
    for ch in text:
        if unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        total += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return total


def _window(line_text: str, start: int, end: int) -> tuple[int, int]:
    """The part of a long line to show: the claim and some context (all of a short line)."""
    if len(line_text) <= WINDOW:
        return 0, len(line_text)
    left = max(0, start - CONTEXT)
    return left, min(len(line_text), end + CONTEXT, start + WINDOW)


def source_excerpt(line_text: str, start: int, end: int) -> tuple[str, int, int]:
    """(shown line, caret offset, caret count) for the claim at [start, end) of one line.

    Long lines are cut to the claim and some context, with an ellipsis on the cut sides;
    tabs become one space so the carets line up. Control characters are shown escaped
    (escape.terminal), and the carets are placed under the escaped text.
    """
    shown, marks = underline(line_text, start, end, [])
    offset = len(marks) - len(marks.lstrip())
    return shown, offset, len(marks.strip()) or 1


def underline(line_text: str, start: int, end: int, words: list[tuple[int, int]]) -> tuple[str, str]:
    """(shown line, mark line) for a claim at [start, end) of one line: ``^`` under the
    words at fault (``words``: ranges of the line), ``-`` under the rest of the claim, or
    ``^`` under the whole claim when no word is marked. Widths follow the terminal (wide
    characters take two columns); long lines are cut around the claim."""
    line_text = line_text.rstrip("\r").replace("\t", " ")
    start = min(max(start, 0), len(line_text))
    end = min(max(end, start + 1), max(len(line_text), start + 1))
    left, right = _window(line_text, start, end)
    prefix = "…" if left > 0 else ""
    suffix = "…" if right < len(line_text) else ""
    shown = [prefix]
    marks = [" "] * _width(prefix)
    for i in range(left, right):
        ch = terminal(line_text[i])  # a control character shown escaped, its marks under the escape
        shown.append(ch)
        w = _width(ch)
        if start <= i < end:
            at_fault = not words or any(a <= i < b for a, b in words)
            mark = "^" if at_fault else "-"
        else:
            mark = " "
        marks.extend(mark * w)
    shown.append(suffix)
    if end > right or start >= len(line_text):
        marks.append("^")
    return "".join(shown), "".join(marks).rstrip()


def _lines(source: str | None) -> list[str]:
    return source.split("\n") if source else []


def _line_offsets(source: str | None) -> list[int]:
    return line_starts(source) if source else []


def _finding_block(f: Finding, lines: list[str], starts: list[int], paint) -> list[str]:
    out = [f"  {f.line}:{f.column} {paint('code', f.rule)} {paint(f.verdict, f'[{f.verdict}]')} {f.claim.claim_type}"]
    gutter = str(f.line)
    pad = " " * len(gutter)
    if 0 < f.line <= len(lines) and f.line <= len(starts):
        text = lines[f.line - 1]
        end = f.end_column - 1 if f.end_line == f.line else len(text.rstrip("\r"))
        base = starts[f.line - 1]
        words = [(h.start - base, h.end - base) for h in f.highlights if base <= h.start < base + len(text) + 1]
        shown, marks = underline(text, f.column - 1, end, words)
        painted = "".join(
            paint(f.verdict, ch) if ch == "^" else paint("gutter", ch) if ch == "-" else ch for ch in marks
        )
        out.append(f"    {paint('gutter', gutter + ' |')} {shown}")
        out.append(f"    {paint('gutter', pad + ' |')} {painted}")
    else:  # no source kept: show the claim itself
        out.append(f'    {paint("gutter", gutter + " |")} "{terminal(" ".join(f.claim.text.split()))}"')
    if f.highlights:
        out.append(terminal("    words: " + "; ".join(_words(f))))
    steps = [r for r in f.reasons if not r.startswith("verdict: ")]
    for reason in steps or [f"verdict: {f.verdict}"]:
        out.append(f"    - {terminal(reason)}")
    matched = f.matched
    if matched:
        for i, e in enumerate(matched):
            links = [u for c in e.citations if (u := citation_url(c))]
            link = f" {links[0]}" if links else ""
            moved = f"{e.entry_verdict} -> {e.verdict}" if e.entry_verdict != e.verdict else e.verdict
            head = "evidence:" if i == 0 else "         "
            out.append(terminal(f"    {head} {e.id} ({e.certainty} certainty; {moved}){link}"))
    else:
        out.append("    evidence: none on file")
    if f.suggestion:
        out.append(f"    suggestion: {terminal(f.suggestion)}")
    return out


def _words(f: Finding) -> list[str]:
    """'certainty 'clinically proven', 'cure'' and the like, one group per kind, in order."""
    groups: dict[str, list[str]] = {}
    for h in f.highlights:
        quoted = f"'{' '.join(h.text.split())}'"
        if quoted not in groups.setdefault(h.why, []):
            groups[h.why].append(quoted)
    return [f"{why} {', '.join(words)}" for why, words in groups.items()]


def _file_block(result: FileResult, paint) -> list[str]:
    out = [paint("path", terminal(result.path))]
    if not result.findings and not result.notices:
        out.append("  no health claims found")
    lines, starts = _lines(result.source), _line_offsets(result.source)
    blocks = [
        ((n.line, n.column, 0), [f"  {n.line}:{n.column} {paint('code', n.rule)} [notice] {terminal(n.message)}"])
        for n in result.notices
    ]
    blocks += [((f.line, f.column, 1), _finding_block(f, lines, starts, paint)) for f in result.findings]
    for _, block in sorted(blocks, key=lambda b: b[0]):
        out.extend(block)
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
