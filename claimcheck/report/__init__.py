"""Renderers: one module per output format, and the one list of formats (REPORT_FORMATS).

A format is an entry in REPORT_FORMATS: its name, the function that renders it, whether
programs read it, and whether it keeps every finding. The CLI's ``--format`` choices, the
config file's ``format`` key, the progress bar and ``--min-verdict`` all read this list, so
adding a format is a renderer module plus one entry here (docs/architecture.md, recipes).
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from claimcheck.core.records import SEVERITY, Report
from claimcheck.ingest.own_reports import GENERATOR_MARKERS, is_report_file  # noqa: F401  (re-exported)


@dataclass(frozen=True)
class ReportFormat:
    """One output format. ``renderer`` and ``streamed`` are "module:function" inside
    claimcheck.report, imported only when the format is asked for."""

    name: str
    summary: str
    renderer: str  # (report, **options) -> str
    options: tuple[str, ...] = ()  # the keyword options the renderer takes: "verbose", "color"
    machine: bool = False  # read by programs: no progress bar, no colour, never mixed with other output
    complete: bool = False  # keeps every finding whatever --min-verdict says
    streamed: str | None = None  # (report) -> pieces, so a large run never holds the whole text


REPORT_FORMATS: tuple[ReportFormat, ...] = (
    ReportFormat(
        "full",
        "grouped by file, the source line with the claim underlined (default on a terminal)",
        "full:render_full",
        options=("color",),
    ),
    ReportFormat(
        "text", "one line a finding with type, claim, reason and evidence id", "text:render_text", options=("verbose",)
    ),
    ReportFormat("concise", "path:line:col: CODE [verdict] message, one line a finding", "full:render_concise"),
    ReportFormat(
        "json",
        "the JSON contract (docs/json-schema.md)",
        "json_report:render_json",
        machine=True,
        complete=True,
        streamed="json_report:iter_json",
    ),
    ReportFormat(
        "jsonl",
        "JSON Lines: one line a file, each as in the JSON report's files",
        "json_report:render_jsonl",
        machine=True,
        complete=True,
        streamed="json_report:iter_jsonl_report",
    ),
    ReportFormat("html", "one self-contained review page", "html:render_html", machine=True, complete=True),
    ReportFormat(
        "markdown",
        "a review summary for tickets, pull requests and $GITHUB_STEP_SUMMARY",
        "markdown:render_markdown",
        machine=True,
    ),
    ReportFormat("sarif", "SARIF 2.1.0 for GitHub code scanning", "sarif:render_sarif", machine=True),
    ReportFormat("github", "GitHub Actions workflow commands (annotations)", "github:render_github", machine=True),
)
_BY_NAME = {f.name: f for f in REPORT_FORMATS}
FORMATS = tuple(_BY_NAME)
MACHINE_FORMATS = frozenset(f.name for f in REPORT_FORMATS if f.machine)
COMPLETE_FORMATS = frozenset(f.name for f in REPORT_FORMATS if f.complete)
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


def _function(spec: str) -> Callable:
    module, name = spec.split(":")
    return getattr(importlib.import_module(f"claimcheck.report.{module}"), name)


def _format(fmt: str) -> ReportFormat:
    try:
        return _BY_NAME[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})") from None


def render_pieces(report, fmt: str, *, verbose: bool = False, color: bool = False) -> Iterator[str]:
    """The report in pieces to write one after another: JSON and JSON Lines are encoded file
    by file (a large run never holds its whole text in memory); other formats come in one piece."""
    spec = _format(fmt)
    if spec.streamed:
        yield from _function(spec.streamed)(report)
    else:
        yield render(report, fmt, verbose=verbose, color=color)


def render(report, fmt: str, *, verbose: bool = False, color: bool = False) -> str:
    """The report in one of FORMATS (imports only the renderer asked for)."""
    spec = _format(fmt)
    given = {"verbose": verbose, "color": color}
    return _function(spec.renderer)(report, **{name: given[name] for name in spec.options})
