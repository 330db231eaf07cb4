"""Renderers: one module per output format. Each takes a Report and returns a string.

Formats:
  full      grouped by file, the source line with the claim underlined (default on a terminal)
  text      one line a finding with type, claim, reason and evidence id (default otherwise)
  concise   ``path:line:col: CODE [verdict] message``, one line a finding, for editors
  json      the JSON contract (docs/json-schema.md)
  jsonl     JSON Lines: one line a file, each as in the JSON report's "files"
  html      one self-contained review page
  markdown  a review summary for tickets, pull requests and $GITHUB_STEP_SUMMARY
  sarif     SARIF 2.1.0 for GitHub code scanning
  github    GitHub Actions workflow commands (annotations)
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path

from claimcheck.core.records import SEVERITY, Report

FORMATS = ("full", "text", "concise", "json", "jsonl", "html", "markdown", "sarif", "github")
# Formats read by programs: no progress bar, no colour, never mixed with other output.
MACHINE_FORMATS = frozenset({"json", "jsonl", "sarif", "github", "html", "markdown"})
# Formats that keep every finding whatever --min-verdict says (the HTML page has filters).
COMPLETE_FORMATS = frozenset({"json", "jsonl", "html"})
DEFAULT_MIN_VERDICT = "mixed"  # what the other formats show unless told otherwise


def shown(report: Report, fmt: str, min_verdict: str | None = None) -> Report:
    """The report as ``fmt`` shows it: JSON, JSON Lines and HTML keep every finding; the others
    leave out findings below ``min_verdict`` (default: mixed, so supported claims are not
    listed). What was left out is counted in ``Report.hidden`` for the summary line."""
    if fmt in COMPLETE_FORMATS:
        return report
    floor = SEVERITY[min_verdict or DEFAULT_MIN_VERDICT]
    if floor == 0:
        return report
    hidden: dict[str, int] = {}
    files = []
    for result in report.files:
        kept = [f for f in result.findings if SEVERITY[f.verdict] >= floor]
        for f in result.findings:
            if SEVERITY[f.verdict] < floor:
                hidden[f.verdict] = hidden.get(f.verdict, 0) + 1
        files.append(dataclasses.replace(result, findings=kept) if len(kept) < len(result.findings) else result)
    return Report(files=files, hidden=hidden)


# What claimcheck writes at the top of its own reports and baselines, so that a later
# `claimcheck check .` never reads them as pages.
GENERATOR_MARKERS = (
    b'<meta name="generator" content="claimcheck',  # html
    b"<!-- generator: claimcheck",  # markdown
    b'"generator": "claimcheck',  # baselines
)
# The first lines of the line formats (concise, text, github) and of full.
_LINE_FORMATS = re.compile(
    rb"\A(?:[^\n]*:\d+:\d+: CC\d{3} \[(?:unsupported|mixed|supported|notice)\] "
    rb"|::(?:error|warning|notice) [^\n]*title=CC\d{3} "
    rb"|[^\n]*\n  (?:\d+:\d+ CC\d{3} \[|no health claims found\n))"
)

# The first line of a jsonl report: a file's entry of the JSON report (a crawl record has an "id").
_JSONL_REPORT = re.compile(rb'\A\{"path":"(?:[^"\\\n]|\\.)*",(?:"url":"(?:[^"\\\n]|\\.)*",)?"error":(?:null|")')


def is_report_file(path: str | Path) -> bool:
    """Whether a file is a report or baseline claimcheck wrote: a generator marker near the
    top (html, markdown, baselines), the first lines of a text, concise, full or github
    report, or the first line of a JSON Lines report."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError:
        return False
    return (
        any(marker in head for marker in GENERATOR_MARKERS)
        or bool(_LINE_FORMATS.match(head))
        or bool(_JSONL_REPORT.match(head))
    )


def render_pieces(report, fmt: str, *, verbose: bool = False, color: bool = False) -> Iterator[str]:
    """The report in pieces to write one after another: JSON is encoded file by file (a large
    run never holds its whole JSON text in memory); other formats come in one piece."""
    if fmt == "json":
        from claimcheck.report.json_report import iter_json

        yield from iter_json(report)
    elif fmt == "jsonl":
        from claimcheck.report.json_report import iter_jsonl

        yield from iter_jsonl(report.files)
    else:
        yield render(report, fmt, verbose=verbose, color=color)


def render(report, fmt: str, *, verbose: bool = False, color: bool = False) -> str:
    """The report in one of FORMATS (imports only the renderer asked for)."""
    if fmt == "json":
        from claimcheck.report.json_report import render_json

        return render_json(report)
    if fmt == "jsonl":
        from claimcheck.report.json_report import iter_jsonl

        return "".join(iter_jsonl(report.files))
    if fmt == "html":
        from claimcheck.report.html import render_html

        return render_html(report)
    if fmt == "markdown":
        from claimcheck.report.markdown import render_markdown

        return render_markdown(report)
    if fmt == "sarif":
        from claimcheck.report.sarif import render_sarif

        return render_sarif(report)
    if fmt == "github":
        from claimcheck.report.github import render_github

        return render_github(report)
    if fmt == "full":
        from claimcheck.report.full import render_full

        return render_full(report, color=color)
    if fmt == "concise":
        from claimcheck.report.full import render_concise

        return render_concise(report)
    if fmt == "text":
        from claimcheck.report.text import render_text

        return render_text(report, verbose=verbose)
    raise ValueError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
