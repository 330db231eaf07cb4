"""Report formats: html, markdown, sarif, github, full and concise, on the seed articles,
on a page with no claims, on hostile markup, and on hand-made findings for edge cases."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser
from io import StringIO

import pytest
from conftest import REPO, SHARED

from claimcheck.core.records import SEVERITY, Claim, FileResult, Finding, Highlight, Notice, Qualifiers
from claimcheck.core.rule_codes import RULE_CODES, RULE_DOCS, get_rule_doc
from claimcheck.pipeline.checker import Report
from claimcheck.report import shown
from claimcheck.report.full import render_concise, render_full, should_color, source_excerpt, underline
from claimcheck.report.github import escape_data, escape_property, render_github, write_step_summary
from claimcheck.report.html import render_html
from claimcheck.report.markdown import citation_url, render_markdown, worst_first
from claimcheck.report.page_view import Block, PageView, meta_html, page_html
from claimcheck.report.sarif import fingerprint, render_sarif
from claimcheck.report.text import render_text

SEEDS = SHARED / "seeds"
SCHEMA = REPO / "tests" / "data" / "sarif-schema-2.1.0.json"
INJECTED = (
    "<html><body><h1>Our clinic</h1><p>Dry needling cures migraines for everyone. "
    "<script>alert(1)</script></p><p>It is very safe, with no side effects."
    '<img src=x onerror=alert(1)></p><a href="javascript:alert(2)">book</a></body></html>'
)
NO_CLAIMS = "We are open Monday to Friday, 9am to 5pm.\nParking is available behind the building.\n"
VOID = {"meta", "input", "br", "img", "hr", "link"}


# -- fixtures ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_report(checker) -> Report:
    files = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    if not files:
        pytest.skip("seed articles not present")
    return Report(files=[checker.check_file(str(p)) for p in files])


@pytest.fixture(scope="module")
def empty_report(checker) -> Report:
    report = Report(files=[checker.check_text(NO_CLAIMS, path="hours.txt")])
    assert not report.findings
    return report


@pytest.fixture(scope="module")
def injected_report(checker) -> Report:
    html_page = checker.check_text(INJECTED, path="pages/inject.html", fmt="html")
    text_page = checker.check_text("Dry needling cures <script>alert(1)</script> migraines.", path="a.txt")
    missing = checker.check_file("no/such/file.md")
    report = Report(files=[html_page, text_page, missing])
    assert html_page.findings and text_page.findings and missing.error
    return report


def _finding(source: str, snippet: str, verdict: str, rule: str = "CC101", ctype: str = "efficacy", nth: int = 0):
    start = -1
    for _ in range(nth + 1):
        start = source.index(snippet, start + 1)
    end = start + len(snippet)
    line = source.count("\n", 0, start) + 1
    col = start - (source.rfind("\n", 0, start) + 1) + 1
    end_line = source.count("\n", 0, end) + 1
    end_col = end - (source.rfind("\n", 0, end) + 1) + 1
    claim = Claim(ctype, snippet, start, end, "dry_needling", "dry needling", [], Qualifiers())
    return Finding(
        rule,
        claim,
        verdict,
        [f"reason for {verdict}", f"verdict: {verdict}"],
        "Say less.",
        line=line,
        column=col,
        end_line=end_line,
        end_column=end_col,
    )


# -- html ----------------------------------------------------------------------------------


class _Page(HTMLParser):
    """Collects tags and attributes, checks nesting, and reads back each page's text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.stack: list[tuple[str, dict]] = []
        self.problems: list[str] = []
        self.pages: list[str] = []
        self.scripts: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "div" and "cc-view" in attrs.get("class", ""):
            self.pages.append("")
        if tag not in VOID:
            self.stack.append((tag, attrs))

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1][0] != tag:
            self.problems.append(f"unexpected </{tag}>")
            return
        self.stack.pop()

    def handle_data(self, data):
        names = [t for t, _ in self.stack]
        if "script" in names:
            self.scripts.append(data)
        in_label = any("cc-label" in a.get("class", "") for _, a in self.stack)
        if any(t == "div" and "cc-view" in a.get("class", "") for t, a in self.stack) and not in_label:
            self.pages[-1] += data


def _parse(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    parser.close()
    assert not parser.problems and not parser.stack, (parser.problems, parser.stack[-3:])
    return parser


def _words(text: str) -> list[str]:
    return text.split()


def _check_html(report: Report) -> _Page:
    page = render_html(report)
    parsed = _parse(page)
    allowed = {citation_url(c) for f in report.findings for e in f.matched for c in e.citations} - {None}
    for tag, attrs in parsed.tags:
        assert tag not in {"img", "iframe", "link", "object", "embed", "base", "frame", "audio", "video"}
        assert "src" not in attrs and not any(name.startswith("on") for name in attrs), (tag, attrs)
        if "href" in attrs:
            assert attrs["href"].startswith("#") or attrs["href"] in allowed, attrs["href"]
    assert "@import" not in page and "url(" not in page
    # One highlight per claim span; each finding reachable from exactly one highlight.
    marks = [a for t, a in parsed.tags if "cc-highlight" in a.get("class", "").split()]
    spans = {(r.path, f.claim.start, f.claim.end) for r in report.files if r.source is not None for f in r.findings}
    assert len(marks) == len(spans)
    owners = [i for a in marks for i in a["data-finding-ids"].split()]
    assert sorted(owners) == sorted(f"cc-f-{n}" for n in range(1, len(report.findings) + 1))
    ids = [a["id"] for _, a in parsed.tags if "id" in a]
    assert len(ids) == len(set(ids)), "element ids repeat"
    panels = {a["id"]: a for t, a in parsed.tags if "cc-panel" in a.get("class", "").split()}
    assert set(panels) == set(owners)
    assert all(panel["data-verdict"] in SEVERITY for panel in panels.values())
    # The page shows the copy a reader sees: every claim's words appear in it, in order.
    with_source = [r for r in report.files if r.source is not None]
    assert len(parsed.pages) == len(with_source)
    for text, result in zip(parsed.pages, with_source, strict=True):
        shown_words = " ".join(_words(text))
        for f in result.findings:
            assert " ".join(_words(f.claim.text)) in shown_words, f.claim.text
    # The only script is ours, and the page's CSP allows exactly it.
    (script,) = parsed.scripts
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in page and "default-src 'none'" in page
    return parsed


def test_html_seeds(seed_report):
    parsed = _check_html(seed_report)
    page = render_html(seed_report)
    assert "@media print" in page and "[unsupported" in page
    assert sum(1 for t, a in parsed.tags if t == "input" and a.get("type") == "checkbox") == 3 + 4
    assert "https://pubmed.ncbi.nlm.nih.gov/" in page and "https://doi.org/" in page
    for result in seed_report.files:
        assert result.path in page


def test_html_escapes_hostile_pages(injected_report):
    page = render_html(injected_report)
    _check_html(injected_report)
    assert "<script>alert(1)</script>" not in page
    assert "<img src=x onerror=alert(1)>" not in page and 'href="javascript:' not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # the text page's copy, shown as text
    assert "no/such/file.md" in page and "Could not check" in page


def test_html_no_claims(empty_report):
    parsed = _check_html(empty_report)
    assert "No health claims found." in render_html(empty_report)
    assert not [a for _, a in parsed.tags if "cc-highlight" in a.get("class", "")]
    assert _words(parsed.pages[0]) == _words(NO_CLAIMS)


def test_html_one_mark_per_span_nested_and_crossing():
    source = "Alpha dry needling cures pain. Beta text. Gamma overlap here."
    first = _finding(source, "Alpha dry needling cures pain.", "mixed")
    first.highlights = [Highlight(19, 24, "certainty", "cures")]
    findings = [
        first,
        _finding(source, "Alpha dry needling cures pain.", "unsupported", rule="CC201", ctype="mechanism"),
        _finding(source, "cures pain", "supported"),  # nested
        _finding(source, "Gamma overlap", "mixed"),
        _finding(source, "overlap here.", "supported"),  # crosses the end of the one before
    ]
    report = Report(files=[FileResult(path="x.txt", findings=findings, source=source, fmt="text")])
    parsed = _check_html(report)
    marks = [a for _, a in parsed.tags if "cc-highlight" in a.get("class", "").split()]
    assert len(marks) == 4
    # The two findings of the first sentence share one mark with the worst verdict and one label.
    shared = [a for a in marks if (a["data-start"], a["data-end"]) == ("0", "30")]
    assert len(shared) == 1 and shared[0]["data-verdict"] == "unsupported"
    assert shared[0]["data-finding-ids"] == "cc-f-1 cc-f-2" and shared[0]["data-types"] == "efficacy mechanism"
    page = render_html(report)
    assert "[unsupported ×2]</a></mark>" in page and page.count("[mixed]</a></mark>") == 1
    # The word at fault is underlined inside the nested mark, and in the panel's claim.
    assert page.count('<u class="cc-fault" data-why="certainty" title="certainty">cures</u>') == 2


def test_html_shows_the_page_as_a_reader_sees_it(checker):
    source = (
        "<html><head><title>Needling &amp; more</title>"
        '<meta name="description" content="Dry needling cures migraines fast."></head><body>'
        "<h1>Dry needling</h1><p>Dry needling is <b>clinically proven</b> to cure back pain.</p>"
        "<ul><li>Eases neck pain</li><li>Heals tendon tears in three sessions</li></ul>"
        '<img src="x.png" alt="Dry needling relieves sciatica"></body></html>'
    )
    result = checker.check_text(source, "page.html", "html")
    assert result.findings
    page = render_html(Report(files=[result]))
    parsed = _check_html(Report(files=[result]))
    assert "<b>" not in page and "&lt;b&gt;" not in page  # rendered, not shown as markup
    assert '<h3 class="cc-page-h cc-page-h1">' in page and "<li>" in page and '<dl class="cc-meta">' in page
    assert "Title</dt>" in page and "Description</dt>" in page
    assert "Needling &amp; more" in page and "&amp;amp;" not in page
    assert "clinically proven" in parsed.pages[0] and "alt=" not in parsed.pages[0]
    assert "Image text</dt>" in page and "Dry needling relieves sciatica" in parsed.pages[0]


# -- markdown ------------------------------------------------------------------------------


def _rows(text: str) -> list[list[str]]:
    rows = [line for line in text.splitlines() if line.startswith("| ") and not line.startswith("| Location")]
    return [re.split(r"(?<!\\)\|", row)[1:-1] for row in rows]


def test_markdown_seeds_worst_first(seed_report):
    text = render_markdown(seed_report)
    rows = _rows(text)
    assert len(rows) == len(seed_report.findings)
    assert all(len(row) == 6 for row in rows)
    severities = [SEVERITY[row[3].strip().strip("*")] for row in rows]
    assert severities == sorted(severities, reverse=True)
    assert text.startswith("<!-- generator: claimcheck ")
    assert text.splitlines()[3].startswith("**") and "claim finding(s)" in text.splitlines()[3]
    assert "](https://pubmed.ncbi.nlm.nih.gov/" in text
    # Every rubric step is listed, numbered, and the words at fault are in bold.
    multi = next(row for row, f in zip(rows, [f for _, f in worst_first(seed_report)], strict=True) if f.highlights)
    assert "1\\. " in multi[4] or "1. " in multi[4]
    assert "**" in multi[1]


def test_markdown_escapes_cells():
    source = "Needling | cures <b>all</b>\npain [fast](http://x)."
    findings = [_finding(source, source, "unsupported"), _finding(source, "cures", "supported")]
    findings[0].highlights = [Highlight(11, 16, "certainty", "cures")]
    report = Report(files=[FileResult(path="a|b.md", findings=findings, source=source, fmt="markdown")])
    text = render_markdown(report)
    rows = _rows(text)
    assert len(rows) == 2 and all(len(row) == 6 for row in rows)
    assert "<b>" not in text and "&lt;b&gt;" in text and "[fast](http://x)" not in text
    assert rows[0][3].strip() == "**unsupported**" and rows[1][3].strip() == "**supported**"
    assert "**cures**" in rows[0][1] and "1. reason for unsupported" in rows[0][4]


def test_markdown_no_claims(empty_report):
    text = render_markdown(empty_report)
    assert "No health claims found." in text and "| Location" not in text


# -- sarif ---------------------------------------------------------------------------------


def _validate_sarif(text: str) -> dict:
    log = json.loads(text)
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(log)
    return log


def test_sarif_seeds_valid(seed_report):
    log = _validate_sarif(render_sarif(seed_report))
    assert log["version"] == "2.1.0" and log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    (run,) = log["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert {r["id"] for r in rules} == set(RULE_CODES.values()) | {"CC901", "CC902", "CC903", "CC904"}
    for rule in rules:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert "## Why it matters" in rule["help"]["markdown"] and rule["help"]["text"]
    results = [r for r in run["results"] if not r["properties"].get("notice")]
    assert len(results) == len(seed_report.findings)
    levels = {"unsupported": "error", "mixed": "warning", "supported": "note"}
    sources = {r.path.replace("\\", "/"): r.source for r in seed_report.files}
    related = 0
    for res in results:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        assert res["level"] == levels[res["properties"]["verdict"]]
        region = res["locations"][0]["physicalLocation"]["region"]
        assert min(region["startLine"], region["startColumn"], region["endLine"], region["endColumn"]) >= 1
        assert re.fullmatch(r"[0-9a-f]{32}:\d+", res["partialFingerprints"]["claimcheck/v1"])
        # The words at fault are related locations whose snippet is the source at that place.
        for loc in res.get("relatedLocations", []):
            related += 1
            r = loc["physicalLocation"]["region"]
            lines = sources[loc["physicalLocation"]["artifactLocation"]["uri"]].split("\n")
            if r["startLine"] == r["endLine"]:
                assert lines[r["startLine"] - 1][r["startColumn"] - 1 : r["endColumn"] - 1] == r["snippet"]["text"]
            assert loc["message"]["text"].endswith(r["snippet"]["text"])
    assert related > len(results)  # most findings have words at fault
    assert len(
        {
            r["partialFingerprints"]["claimcheck/v1"] + r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in results
        }
    ) == len(results)


def test_sarif_paths_errors_and_empty(injected_report, empty_report):
    log = _validate_sarif(render_sarif(injected_report))
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]}
    assert uris == {"pages/inject.html", "a.txt"}
    notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert notes[0]["level"] == "error" and "no/such/file.md" in notes[0]["message"]["text"]
    assert _validate_sarif(render_sarif(empty_report))["runs"][0]["results"] == []
    source = "Dry needling cures migraines."
    report = Report(
        files=[FileResult(path="content\\my page.md", findings=[_finding(source, source, "mixed")], source=source)]
    )
    uri = _validate_sarif(render_sarif(report))["runs"][0]["results"][0]["locations"][0]
    assert uri["physicalLocation"]["artifactLocation"]["uri"] == "content/my%20page.md"


def test_sarif_fingerprint_survives_moved_lines(checker):
    claim = "Dry needling cures migraines."
    before = json.loads(render_sarif(Report(files=[checker.check_text(claim, path="p.txt")])))
    after = json.loads(render_sarif(Report(files=[checker.check_text("Intro.\n\n" + claim, path="p.txt")])))
    res_b, res_a = before["runs"][0]["results"][0], after["runs"][0]["results"][0]
    assert res_b["partialFingerprints"] == res_a["partialFingerprints"]
    line = lambda r: r["locations"][0]["physicalLocation"]["region"]["startLine"]  # noqa: E731
    assert (line(res_b), line(res_a)) == (1, 3)
    assert fingerprint("CC101", "Dry  needling\nCURES") == fingerprint("CC101", "dry needling cures")


def test_notices_in_every_format_with_their_position():
    source = "Dry needling eases neck pain.\n<!-- claimcheck-disable-next-line -->\nMore.\n"
    finding = _finding(source, "Dry needling eases neck pain.", "supported")
    finding.evidence_id, finding.certainty = "dn.x", "low"
    stale = Notice("CC901", "evidence dn.x was last reviewed 2020-01-01 (over 24 months ago)", 1, 1, "dn.x")
    no_reason = Notice("CC902", "claimcheck-disable-next-line: suppression without a reason (add '-- reason')", 2, 1)
    report = Report(
        files=[FileResult(path="n.txt", findings=[finding], source=source, notices=[stale, no_reason], fmt="text")]
    )
    log = _validate_sarif(render_sarif(report))
    notes = [r for r in log["runs"][0]["results"] if r["properties"].get("notice")]
    assert [(r["ruleId"], r["level"]) for r in notes] == [("CC901", "note"), ("CC902", "note")]
    assert notes[0]["properties"]["evidence_id"] == "dn.x"
    assert notes[1]["locations"][0]["physicalLocation"]["region"] == {"startLine": 2, "startColumn": 1}
    github = render_github(report)
    assert "::notice file=n.txt,line=2,col=1,title=CC902 claimcheck notice::claimcheck-disable-next-line" in github
    assert "::notice file=n.txt,line=1,col=1,title=CC901 claimcheck notice::evidence dn.x" in github
    md = render_markdown(report).replace("\\", "")
    assert "n.txt:2:1: CC902 claimcheck-disable-next-line" in md
    assert "CC902" in render_html(report) and "line 2, column 1" in render_html(report)
    concise = render_concise(report).splitlines()
    assert concise[0] == f"n.txt:1:1: CC901 [notice] {stale.message}"
    assert concise[2] == f"n.txt:2:1: CC902 [notice] {no_reason.message}"
    assert f"n.txt:2:1: CC902 [notice] {no_reason.message}" in render_text(report)
    assert f"  2:1 CC902 [notice] {no_reason.message}" in render_full(report)


# -- github --------------------------------------------------------------------------------


def test_github_escaping():
    assert escape_data("50% off\r\nnow: a,b") == "50%25 off%0D%0Anow: a,b"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    source = "Line one.\nIt cures 100% of pain, always: guaranteed."
    findings = [
        _finding(source, "It cures 100% of pain, always: guaranteed.", "mixed"),
        _finding(source, "Line one.", "unsupported"),
    ]
    report = Report(files=[FileResult(path="dir,x/a:b.md", findings=findings, source=source)])
    lines = render_github(report).splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("::error file=dir%2Cx/a%3Ab.md,line=1,col=1,endLine=1,endColumn=10,title=CC101 ")
    assert lines[1].startswith("::warning file=dir%2Cx/a%3Ab.md,line=2,col=1,")
    assert "100%25 of pain" in lines[1] and "%0A" in lines[1]


def test_github_seeds_worst_first(seed_report):
    lines = render_github(seed_report).splitlines()
    notices = sum(len(r.notices) for r in seed_report.files)
    assert len(lines) == len(seed_report.findings) + notices + len(seed_report.errors)
    order = {"::error": 2, "::warning": 1, "::notice": 0}
    kinds = [order[line.split(" ", 1)[0]] for line in lines[: len(seed_report.findings)]]
    assert kinds == sorted(kinds, reverse=True)
    assert all(
        re.match(
            r"^::(error|warning|notice) file=[^ ]+,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=CC\d{3} "
            r"\[\w+\] \w+ claim::",
            line,
        )
        for line in lines[: len(seed_report.findings)]
    )
    # Every reason is listed, one per line of the annotation.
    first = next(f for _, f in worst_first(seed_report))
    steps = [r for r in first.reasons if not r.startswith("verdict: ")]
    assert all(escape_data(f"- {r}") in lines[0] for r in steps)


def test_step_summary_written_when_set(monkeypatch, tmp_path, seed_report, empty_report):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    assert write_step_summary(empty_report) is None
    target = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(target))
    assert write_step_summary(empty_report) == target
    assert write_step_summary(seed_report) == target
    text = target.read_text(encoding="utf-8")
    assert text.count("## claimcheck review") == 2 and "No health claims found." in text
    assert len(_rows(text)) == len(seed_report.findings)


# -- full and concise ----------------------------------------------------------------------


def test_full_underlines_the_words_at_fault_and_lists_every_reason(checker):
    source = "Welcome to our clinic.\nDry needling is clinically proven to cure migraines and fibromyalgia.\n"
    report = Report(files=[checker.check_text(source, path="page.txt")])
    f = next(f for f in report.findings if f.claim.claim_type == "efficacy")
    text = render_full(report, color=False)
    assert "\x1b[" not in text
    lines = text.splitlines()
    assert lines[0] == "page.txt"
    at = lines.index(f"  {f.line}:{f.column} {f.rule} [{f.verdict}] {f.claim.claim_type}")
    gutter, carets = lines[at + 1], lines[at + 2]
    assert gutter == f"    {f.line} | Dry needling is clinically proven to cure migraines and fibromyalgia."
    offset = gutter.index("|") + 2
    marks = carets[offset:]
    line_text = gutter[offset:]
    # Carets under the words at fault, dashes under the rest of the claim.
    at_fault = {line_text[i] for i, ch in enumerate(marks) if ch == "^"}
    assert "^" in marks and "-" in marks and set(marks) <= {"^", "-", " "}
    for h in f.highlights:
        a = h.start - source.index("\n") - 1
        assert set(marks[a : a + len(h.text)]) == {"^"}, h
    assert {"clinically proven", "cure", "migraines"} <= {h.text for h in f.highlights} and at_fault
    assert lines[at + 3].startswith("    words: certainty 'clinically proven', 'cure'")
    reasons = [r for r in f.reasons if not r.startswith("verdict: ")]
    assert lines[at + 4 : at + 4 + len(reasons)] == [f"    - {r}" for r in reasons]
    assert any("certainty wording" in r for r in reasons)
    ids = tuple(f"{e.id} (" for e in f.matched)
    evidence = [line for line in lines if line.strip().removeprefix("evidence:").strip().startswith(ids)]
    assert len(evidence) == len(f.matched) >= 2 and "evidence:" in evidence[0]
    assert "suggestion: " in text and lines[-1] == render_text(report).splitlines()[-1]
    assert "\x1b[1;31m" in render_full(report, color=True)


def test_underline_marks_words_and_cuts_long_lines():
    shown, marks = underline("It cures pain fast.", 0, 19, [(3, 8), (14, 18)])
    assert shown == "It cures pain fast." and marks == "---^^^^^------^^^^-"
    shown, marks = underline("x" * 300 + " It cures pain. " + "y" * 300, 301, 315, [(304, 309)])
    assert shown.startswith("…") and shown.endswith("…")
    assert shown[marks.index("^") : marks.index("^") + 5] == "cures"


def test_full_seeds_and_empty(seed_report, empty_report):
    text = render_full(seed_report, color=False)
    assert "\x1b[" not in text and text.count("^") > 0
    for result in seed_report.files:
        assert result.path in text
    assert "no health claims found" in render_full(empty_report, color=False)


def test_source_excerpt_wide_chars_and_long_lines():
    shown, offset, count = source_excerpt("🔬 Dry needling cures pain", 2, 26)
    assert shown.startswith("🔬") and offset == 3 and count == len("Dry needling cures pain")
    long_line = "x" * 300 + " Dry needling cures pain. " + "y" * 300
    shown, offset, count = source_excerpt(long_line, 301, 325)
    assert shown.startswith("…") and shown.endswith("…") and len(shown) < 200
    assert shown[offset : offset + count] == "Dry needling cures pain."


class _Stream(StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def test_should_color_respects_no_color_and_tty():
    assert should_color(_Stream(True), {}) is True
    assert should_color(_Stream(True), {"NO_COLOR": "1"}) is False
    assert should_color(_Stream(True), {"TERM": "dumb"}) is False
    assert should_color(_Stream(False), {}) is False


def test_concise_one_line_per_finding(seed_report, empty_report):
    text = render_concise(seed_report)
    pattern = re.compile(
        r"^(.+):(\d+):(\d+): (CC\d{3}) \[(unsupported|mixed|supported)\] "
        r'(efficacy|mechanism|safety|comparative): ".*": .+$'
    )
    notice = re.compile(r"^.+:\d+:\d+: CC9\d\d \[notice\] .+$")
    lines = [line for line in text.splitlines() if not notice.match(line)]
    assert len(lines) == len(seed_report.findings) and all(pattern.match(line) for line in lines)
    assert len(text.splitlines()) - len(lines) == sum(len(r.notices) for r in seed_report.files)
    assert len(set(lines)) == len(lines)  # no two lines alike
    assert render_concise(empty_report) == ""


def test_one_finding_per_span_and_type_with_every_entry(checker):
    result = checker.check_text("Dry needling is clinically proven to cure migraines and fibromyalgia.", "p.txt")
    (f,) = [f for f in result.findings if f.claim.claim_type == "efficacy"]
    assert len({(g.claim.start, g.claim.end, g.claim.claim_type) for g in result.findings}) == len(result.findings)
    assert [e.id for e in f.matched] == f.evidence_ids and len(f.matched) >= 2
    assert [SEVERITY[e.verdict] for e in f.matched] == sorted((SEVERITY[e.verdict] for e in f.matched), reverse=True)
    assert f.verdict == f.matched[0].verdict and f.reasons[-1] == f"verdict: {f.verdict}"
    assert all(any(r.startswith(f"evidence {e.id} ") for r in f.reasons) for e in f.matched)
    for h in f.highlights:
        assert f.claim.start <= h.start < h.end <= f.claim.end and result.source[h.start : h.end] == h.text
    message = render_concise(Report(files=[result]))
    assert "certainty wording ('clinically proven', 'cure')" in message
    assert all(e.id in message for e in f.matched)


def test_min_verdict_view(seed_report):
    view = shown(seed_report, "concise")
    assert {f.verdict for f in view.findings} <= {"mixed", "unsupported"}
    hidden = sum(1 for f in seed_report.findings if f.verdict == "supported")
    assert hidden and view.hidden == {"supported": hidden}
    assert (
        render_text(view)
        .splitlines()[-1]
        .endswith(f"{hidden} supported (supported not listed: --min-verdict supported lists every finding)")
    )
    assert shown(seed_report, "json") is seed_report and shown(seed_report, "html") is seed_report
    assert len(shown(seed_report, "github", "supported").findings) == len(seed_report.findings)
    assert {f.verdict for f in shown(seed_report, "markdown", "unsupported").findings} == {"unsupported"}


# -- rule docs -----------------------------------------------------------------------------


def test_rule_docs_cover_every_code():
    codes = set(RULE_CODES.values()) | {"CC901", "CC902", "CC903", "CC904"}
    assert set(RULE_DOCS) == codes
    rules_md = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    for code in codes:
        doc = get_rule_doc(code.lower())
        assert doc and doc.startswith(f"# {code} ")
        for heading in ("## What it flags", "## Why it matters", "## Example", "## Compliant rewrite", "## References"):
            assert heading in doc
        for url in re.findall(r"https?://\S+", doc):
            assert url.startswith(("https://www.asa.org.uk/", "https://www.ftc.gov/")), url
        assert code in rules_md
    assert get_rule_doc("CC999") is None


def test_quoted_words_are_as_the_claim_writes_them(checker):
    result = checker.check_text("Dry needling is a drug-free, natural way to cure migraines.", "p.txt")
    reasons = [r for f in result.findings for r in f.reasons]
    assert any("'drug-free'" in r for r in reasons), reasons
    assert not any("drug - free" in r for r in reasons)
    assert "drug-free" in {h.text for f in result.findings for h in f.highlights}


def test_example_page_has_no_repeated_findings(checker):
    result = checker.check_file(str(REPO / "examples" / "clinic-page.md"))
    keys = [(f.claim.start, f.claim.end, f.claim.claim_type) for f in result.findings]
    assert len(keys) == len(set(keys))
    lines = render_concise(Report(files=[result])).splitlines()
    assert len(lines) == len(set(lines))


def test_html_unknown_units_and_claims_outside_the_shown_text():
    view = PageView(
        blocks=[Block("sidebar", 0, None, "aside &amp; more")],
        meta=[Block("meta", 0, "og_note", "a note")],
        unplaced=[],
        owner={},
    )
    assert page_html(view) == '<p class="cc-unit-sidebar">aside &amp; more</p>'
    assert "<dt>Og note</dt><dd>a note</dd>" in meta_html(view)
    # A claim in text the page does not show (here inside <script>) still gets its mark.
    source = "<p>Hello there.</p><script>Dry needling cures pain.</script>"
    findings = [_finding(source, "Dry needling cures pain.", "unsupported")]
    report = Report(files=[FileResult(path="s.html", findings=findings, source=source, fmt="html")])
    _check_html(report)
    page = render_html(report)
    assert "Claims outside the text shown" in page and 'data-finding-ids="cc-f-1"' in page
