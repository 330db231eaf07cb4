"""Recognising claimcheck's own reports and baselines, so that a later run over the same
folder never reads them as pages. The renderers in claimcheck.report write these first lines;
this module, at the front door, knows them: the CLI, ``Checker.check_paths`` and the Dask
client all pass ``is_report_file`` to discovery as ``is_own_report``.
"""

from __future__ import annotations

import re
from pathlib import Path

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
