"""The one list of output formats: every entry renders, streams as it renders, and is offered."""

from __future__ import annotations

import pytest
from conftest import run_cli

from claimcheck.core.records import Report
from claimcheck.report import COMPLETE_FORMATS, FORMATS, MACHINE_FORMATS, REPORT_FORMATS, render, render_pieces

PAGE = "# Float tank sessions\n\nOur float tank cures insomnia in one visit and is completely safe.\n"


@pytest.fixture(scope="module")
def report(rules_checker, tmp_path_factory) -> Report:
    page = tmp_path_factory.mktemp("formats") / "page.md"
    page.write_text(PAGE, encoding="utf-8")
    return Report(files=[rules_checker.check_file(str(page))])


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_renders_and_streams_the_same_text(report, fmt):
    whole = render(report, fmt)
    assert "insomnia" in whole
    assert "".join(render_pieces(report, fmt)) == whole


def test_the_lists_come_from_the_registry():
    assert tuple(f.name for f in REPORT_FORMATS) == FORMATS
    assert len(set(FORMATS)) == len(FORMATS)
    assert {"json", "jsonl", "html"} == COMPLETE_FORMATS
    assert {"json", "jsonl", "html", "markdown", "sarif", "github"} == MACHINE_FORMATS
    assert all(f.summary for f in REPORT_FORMATS)


def test_an_unknown_format_is_refused(report):
    with pytest.raises(ValueError, match="unknown format 'xml'"):
        render(report, "xml")


def test_the_command_line_offers_every_format():
    out = run_cli("check", "--help", env={"COLUMNS": "200"})
    assert out.returncode == 0
    shown = out.stdout.decode()
    assert all(name in shown for name in FORMATS)
