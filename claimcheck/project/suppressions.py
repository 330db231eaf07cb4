"""Suppression comments in Markdown, HTML (and plain text) sources.

Why: a compliance reviewer who accepts a claim needs to say so next to the claim, with the
reason on record -- the same HTML-comment idiom as markdownlint, Vale and alex, invisible
once the page is rendered:

    <!-- claimcheck-disable-next-line CC201 -- mechanism is described as a hypothesis -->
    <!-- claimcheck-disable CC1, CC3 -- quoted from the 2023 NICE guideline -->
    ...
    <!-- claimcheck-enable -->
    <!-- claimcheck-disable-file CC102 -- evidence entry pending review -->

Codes are optional (none = every code) and may be prefixes (CC1 = CC101..CC199),
separated by spaces or commas. The reason follows `--` (or an em dash). Like ruff's
RUF100, unjustified and unused suppressions are reported, so they cannot pile up:
CC902 (no reason), CC903 (suppresses nothing), CC904 (a word that is not a code: the
comment is ignored rather than guessed at).

`disable-next-line` covers findings starting on the next non-blank line after the
comment; lines holding only other claimcheck comments are skipped, so several can be
stacked. A `disable` range runs to the matching `enable` (an `enable CC101` after a
`disable CC1` re-enables just CC101) or to the end of the file.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from claimcheck.core.records import Finding, Notice
from claimcheck.core.rule_codes import MALFORMED_SUPPRESSION as MALFORMED
from claimcheck.core.rule_codes import SELECTOR as _CODE
from claimcheck.core.rule_codes import SUPPRESSION_WITHOUT_REASON as NO_REASON
from claimcheck.core.rule_codes import UNUSED_SUPPRESSION as UNUSED
from claimcheck.ingest.documents import format_for

_COMMENT = re.compile(r"<!--(.*?)-->", re.S)
_DIRECTIVE = re.compile(r"\s*claimcheck-(disable-next-line|disable-file|disable|enable)(?=[\s,]|\Z)(.*)\Z", re.S)


@dataclass
class _Directive:
    kind: str  # "disable-next-line" | "disable-file" | "disable" | "enable"
    codes: list[str]  # empty: every code
    reason: str
    start: int  # source offsets of the whole comment
    end: int
    line: int = 1
    column: int = 1
    target: int = 0  # disable-next-line: the line it covers
    used: bool = False

    def covers(self, code: str) -> bool:
        return not self.codes or any(code.upper().startswith(c) for c in self.codes)

    @property
    def label(self) -> str:
        return f"claimcheck-{self.kind}" + (f" {' '.join(self.codes)}" if self.codes else "")


class _HTMLComments(HTMLParser):
    """Comments as the HTML parser sees them (not inside script, style or attributes)."""

    def __init__(self, source: str, line_starts: list[int]) -> None:
        super().__init__(convert_charrefs=False)
        self.source, self.line_starts = source, line_starts
        self.found: list[tuple[int, int, str]] = []

    def handle_comment(self, data: str) -> None:
        line, col = self.getpos()
        start = self.line_starts[line - 1] + col
        self.found.append((start, start + len(data) + 7, data))


def _markdown_code_lines(source: str) -> set[int]:
    """0-based lines inside fenced or indented code blocks, where comments are just text."""
    from markdown_it import MarkdownIt

    lines: set[int] = set()
    for tok in MarkdownIt("commonmark").parse(source):
        if tok.type in ("fence", "code_block") and tok.map:
            lines.update(range(tok.map[0], tok.map[1]))
    return lines


def _comments(source: str, fmt: str, line_starts: list[int]) -> list[tuple[int, int, str]]:
    """(start, end, body) of every comment that is a comment in this format."""
    if fmt == "html":
        parser = _HTMLComments(source, line_starts)
        parser.feed(source)
        parser.close()
        return parser.found
    found = [(m.start(), m.end(), m.group(1)) for m in _COMMENT.finditer(source)]
    if fmt != "markdown" or not any(_DIRECTIVE.match(body) for _, _, body in found):
        return found
    code_lines = _markdown_code_lines(source)
    kept = []
    for start, end, body in found:
        line = bisect.bisect_right(line_starts, start) - 1
        before = source[line_starts[line] : start]
        if line in code_lines or before.count("`") % 2:  # in a code block or an inline code span
            continue
        kept.append((start, end, body))
    return kept


def _parse(path: str, source: str, fmt: str) -> tuple[list[_Directive], list[Notice]]:
    line_starts = [0, *(i + 1 for i, ch in enumerate(source) if ch == "\n")]

    def line_col(offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(line_starts, offset) - 1
        return line + 1, offset - line_starts[line] + 1

    directives: list[_Directive] = []
    notices: list[Notice] = []
    for start, end, body in _comments(source, fmt, line_starts):
        m = _DIRECTIVE.match(body)
        if not m:
            continue
        kind, rest = m.group(1), m.group(2)
        codes_part, *after = re.split(r"--|\u2014", rest, maxsplit=1)
        reason = after[0] if after else ""
        words = [w for w in re.split(r"[\s,]+", codes_part) if w]
        line, column = line_col(start)
        bad = [w for w in words if not _CODE.match(w.upper())]
        if bad:
            notices.append(
                Notice(
                    MALFORMED,
                    f"claimcheck-{kind}: {bad[0]!r} is not a rule code or prefix (like CC, CC1, CC101); "
                    "write the reason after '--'. This comment is ignored",
                    line,
                    column,
                )
            )
            continue
        directive = _Directive(kind, [w.upper() for w in words], reason.strip(), start, end, line, column)
        if kind != "enable" and not directive.reason:
            message = f"{directive.label}: suppression without a reason (add '-- reason')"
            notices.append(Notice(NO_REASON, message, line, column))
        directives.append(directive)

    # Lines that hold nothing but claimcheck comments do not count as "the next line".
    blanked = list(source)
    for d in directives:
        for i in range(d.start, d.end):
            if blanked[i] != "\n":
                blanked[i] = " "
    lines = "".join(blanked).split("\n")
    for d in directives:
        if d.kind == "disable-next-line":
            n = line_col(max(d.end - 1, d.start))[0]  # 1-based line of the comment's end
            while n < len(lines) and not lines[n].strip():
                n += 1
            d.target = n + 1
    return directives, notices


def apply_suppressions(
    path: str, source: str, findings: list[Finding], fmt: str | None = None
) -> tuple[list[Finding], list[Notice]]:
    """Drop suppressed findings; return those kept and notices about the comments themselves.

    fmt is "markdown", "html" or "text"; by default it follows the path's suffix.
    Run this before select/ignore filtering, so a comment for an ignored rule still counts
    as used."""
    fmt = fmt or format_for(path) or "text"
    if "claimcheck-" not in source:
        return list(findings), []
    directives, notices = _parse(path, source, fmt)
    ranges = [d for d in directives if d.kind in ("disable", "enable")]
    kept: list[Finding] = []
    for finding in findings:
        hits = [
            d
            for d in directives
            if d.covers(finding.rule)
            and (d.kind == "disable-file" or (d.kind == "disable-next-line" and d.target == finding.line))
        ]
        active: _Directive | None = None
        for d in ranges:
            if (d.line, d.column) >= (finding.line, finding.column):
                break
            if d.covers(finding.rule):
                active = d if d.kind == "disable" else None
        if active is not None:
            hits.append(active)
        for d in hits:
            d.used = True
        if not hits:
            kept.append(finding)
    for d in directives:
        if d.kind != "enable" and not d.used:
            notices.append(Notice(UNUSED, f"{d.label}: suppression that suppresses nothing", d.line, d.column))
    notices.sort(key=lambda n: (n.line, n.column, n.rule))
    return kept, notices
