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

from collections.abc import Iterator

FORMATS = ("full", "text", "concise", "json", "jsonl", "html", "markdown", "sarif", "github")
# Formats read by programs: no progress bar, no colour, never mixed with other output.
MACHINE_FORMATS = frozenset({"json", "jsonl", "sarif", "github", "html", "markdown"})


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
