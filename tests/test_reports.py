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

from claimcheck.pipeline import Report
from claimcheck.records import SEVERITY, Claim, FileResult, Finding, Qualifiers
from claimcheck.report.full import render_concise, render_full, should_color, source_excerpt
from claimcheck.report.github import escape_data, escape_property, render_github, write_step_summary
from claimcheck.report.html import render_html
from claimcheck.report.markdown import citation_url, render_markdown
from claimcheck.report.sarif import fingerprint, render_sarif
from claimcheck.report.text import render_text
from claimcheck.rubric import RULE_CODES
from claimcheck.rule_docs import RULE_DOCS, get_rule_doc

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
    """Collects tags and attributes, checks nesting, and reads back the highlighted source."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.stack: list[tuple[str, dict]] = []
        self.problems: list[str] = []
        self.sources: list[str] = []
        self.scripts: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "pre" and "cc-source" in attrs.get("class", ""):
            self.sources.append("")
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
        if any(t == "pre" and "cc-source" in a.get("class", "") for t, a in self.stack) and not in_label:
            self.sources[-1] += data


def _parse(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    parser.close()
    assert not parser.problems and not parser.stack, (parser.problems, parser.stack[-3:])
    return parser


def _check_html(report: Report) -> _Page:
    page = render_html(report)
    parsed = _parse(page)
    allowed = {citation_url(c) for f in report.findings for c in f.citations} - {None}
    for tag, attrs in parsed.tags:
        assert tag not in {"img", "iframe", "link", "object", "embed", "base", "frame", "audio", "video"}
        assert "src" not in attrs and not any(name.startswith("on") for name in attrs), (tag, attrs)
        if "href" in attrs:
            assert attrs["href"].startswith("#") or attrs["href"] in allowed, attrs["href"]
    assert "@import" not in page and "url(" not in page
    # One highlight per finding; each finding reachable from exactly one highlight.
    marks = [a for t, a in parsed.tags if "cc-highlight" in a.get("class", "").split()]
    assert len(marks) == sum(len(r.findings) for r in report.files if r.source is not None)
    owners = [i for a in marks for i in a["data-finding-ids"].split()]
    assert sorted(owners) == sorted(f"cc-f-{n}" for n in range(1, len(report.findings) + 1))
    panels = {a["id"]: a for t, a in parsed.tags if "cc-panel" in a.get("class", "").split()}
    assert set(panels) == set(owners)
    assert all(panel["data-verdict"] in SEVERITY for panel in panels.values())
    # The highlighted text, labels aside, is the source itself.
    with_source = [r for r in report.files if r.source is not None]
    assert parsed.sources == [r.source for r in with_source]
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
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # shown as text
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "no/such/file.md" in page and "Could not check" in page


def test_html_no_claims(empty_report):
    parsed = _check_html(empty_report)
    assert "No health claims found." in render_html(empty_report)
    assert not [a for _, a in parsed.tags if "cc-highlight" in a.get("class", "")]


def test_html_shared_nested_and_crossing_spans():
    source = "Alpha dry needling cures pain. Beta text. Gamma overlap here."
    findings = [
        _finding(source, "Alpha dry needling cures pain.", "mixed"),
        _finding(source, "Alpha dry needling cures pain.", "unsupported", rule="CC201", ctype="mechanism"),
        _finding(source, "cures pain", "supported"),  # nested
        _finding(source, "Gamma overlap", "mixed"),
        _finding(source, "overlap here.", "supported"),  # crosses the end of the one before
    ]
    report = Report(files=[FileResult(path="x.txt", findings=findings, source=source, fmt="text")])
    parsed = _check_html(report)
    marks = [a for _, a in parsed.tags if "cc-highlight" in a.get("class", "").split()]
    assert len(marks) == 5 and all(len(a["data-finding-ids"].split()) == 1 for a in marks)
    # The two findings of the first sentence are two nested highlights over the same text,
    # the worst innermost; each carries its own verdict label.
    shared = [a for a in marks if (a["data-start"], a["data-end"]) == ("0", "30")]
    assert [a["data-verdict"] for a in shared] == ["mixed", "unsupported"]  # outer, then inner
    page = render_html(report)
    assert page.index('data-finding-ids="cc-f-1"') < page.index('data-finding-ids="cc-f-2"')
    assert "[unsupported]</a></mark>" in page and "[mixed]</a></mark>" in page


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
    assert text.splitlines()[2].startswith("**") and "claim finding(s)" in text.splitlines()[2]
    assert "](https://pubmed.ncbi.nlm.nih.gov/" in text


def test_markdown_escapes_cells():
    source = "Needling | cures <b>all</b>\npain [fast](http://x)."
    findings = [_finding(source, source, "unsupported"), _finding(source, "cures", "supported")]
    report = Report(files=[FileResult(path="a|b.md", findings=findings, source=source, fmt="markdown")])
    text = render_markdown(report)
    rows = _rows(text)
    assert len(rows) == 2 and all(len(row) == 6 for row in rows)
    assert "<b>" not in text and "&lt;b&gt;" in text and "[fast](http://x)" not in text
    assert rows[0][3].strip() == "**unsupported**" and rows[1][3].strip() == "**supported**"


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
    assert {r["id"] for r in rules} == set(RULE_CODES.values()) | {"CC901"}
    for rule in rules:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert "## Why it matters" in rule["help"]["markdown"] and rule["help"]["text"]
    results = [r for r in run["results"] if r["ruleId"] != "CC901"]
    assert len(results) == len(seed_report.findings)
    levels = {"unsupported": "error", "mixed": "warning", "supported": "note"}
    for res in results:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        assert res["level"] == levels[res["properties"]["verdict"]]
        region = res["locations"][0]["physicalLocation"]["region"]
        assert min(region["startLine"], region["startColumn"], region["endLine"], region["endColumn"]) >= 1
        assert re.fullmatch(r"[0-9a-f]{32}:\d+", res["partialFingerprints"]["claimcheck/v1"])
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


def test_stale_evidence_notice_in_every_format():
    source = "Dry needling eases neck pain."
    finding = _finding(source, source, "supported")
    finding.evidence_id, finding.certainty = "dn.x", "low"
    notice = "CC901 evidence dn.x was last reviewed 2020-01-01 (over 24 months ago)"
    report = Report(files=[FileResult(path="n.txt", findings=[finding], source=source, notices=[notice])])
    stale = [r for r in _validate_sarif(render_sarif(report))["runs"][0]["results"] if r["ruleId"] == "CC901"]
    assert len(stale) == 1 and stale[0]["level"] == "note" and stale[0]["properties"]["evidence_id"] == "dn.x"
    assert "::notice file=n.txt,title=claimcheck notice::CC901 evidence dn.x" in render_github(report)
    assert notice in render_markdown(report).replace("\\", "") and notice in render_html(report)
    assert f"n.txt:1:1: {notice}" in render_concise(report) and f"notice: {notice}" in render_full(report)


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


def test_full_underlines_claim_without_colour(checker):
    source = "Welcome to our clinic.\nWe think dry needling cures migraines.\n"
    report = Report(files=[checker.check_text(source, path="page.txt")])
    f = report.findings[0]
    text = render_full(report, color=False)
    assert "\x1b[" not in text
    lines = text.splitlines()
    assert lines[0] == "page.txt"
    at = lines.index(f"  {f.line}:{f.column} {f.rule} [{f.verdict}] {f.claim.claim_type}")
    gutter, carets = lines[at + 1], lines[at + 2]
    assert gutter == f"    {f.line} | We think dry needling cures migraines."
    offset = gutter.index("|") + 2 + f.column - 1
    assert carets[offset:] == "^" * len(f.claim.text) and set(carets[:offset]) <= {" ", "|"}
    assert lines[at + 3] == f"    {f.message}"
    assert lines[at + 4].startswith(f"    evidence: {f.evidence_id} ({f.certainty})")
    assert "suggestion: " in text and lines[-1] == render_text(report).splitlines()[-1]
    assert "\x1b[1;31m" in render_full(report, color=True)


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
    lines = [line for line in text.splitlines() if not re.match(r"^.+:1:1: CC901 ", line)]
    assert len(lines) == len(seed_report.findings) and all(pattern.match(line) for line in lines)
    assert render_concise(empty_report) == ""


# -- rule docs -----------------------------------------------------------------------------


def test_rule_docs_cover_every_code():
    codes = set(RULE_CODES.values()) | {"CC901"}
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
