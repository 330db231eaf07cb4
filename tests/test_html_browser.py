"""The HTML report in a real headless browser (Debian's Chromium driven by Playwright).

Checks what a static parse cannot: the page runs with no console errors, no CSP violations
and no network requests; the page is shown as a reader sees it, with one highlight per claim
span (the highlights equal the findings: each finding in exactly one, on its own span), the
words at fault underlined inside it; panels are open with their citation links; clicking a
highlight brings its panels forward; n/j and p/k walk the claims the filters show; the
verdict and type filters hide and show panels and highlights; hostile markup in the checked
pages runs nothing; a page with no claims says so; verdicts are carried by text labels and
print CSS exists.

The tests skip when Chromium (/usr/bin/chromium, or $CLAIMCHECK_CHROMIUM) or the
``playwright`` package is missing, except with CLAIMCHECK_REQUIRE_BROWSER=1 (set by
.ci/run), where they fail instead. Nothing is downloaded: Playwright drives the system
Chromium, with background networking off.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, field

import pytest
from conftest import REPO, SHARED

from claimcheck.core.records import CLAIM_TYPES, SEVERITY, VERDICTS
from claimcheck.pipeline.checker import Report
from claimcheck.report.html import render_html
from claimcheck.report.markdown import citation_url

pytestmark = pytest.mark.slow

CHROMIUM = os.environ.get("CLAIMCHECK_CHROMIUM", "/usr/bin/chromium")
REQUIRE_BROWSER = os.environ.get("CLAIMCHECK_REQUIRE_BROWSER") == "1"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-domain-reliability",
    "--metrics-recording-only",
]
CITATION_HREF = re.compile(r"^https://(pubmed\.ncbi\.nlm\.nih\.gov/\d+/|doi\.org/10\.\S+)$")

PWNED = "<script>window.__pwned=1</script>"
INJECT_MD = f"""# Cupping at <b onclick="window.__pwned=1">Harbour</b> Clinic

Cupping cures cancer {PWNED} in every patient.

Acupuncture heals arthritis <img src=x onerror="window.__pwned=1"> completely.

[Book now](javascript:window.__pwned=1) or <a href="javascript:alert(1)">click here</a>.

{PWNED}
<iframe src="javascript:alert(2)"></iframe>
"""
INJECT_HTML = f"""<html><head><title>x</title><script>window.__pwned=1</script></head><body>
<h1>Cupping</h1>
<p>Cupping cures cancer &lt;script&gt;window.__pwned=1&lt;/script&gt; in everyone.</p>
<p>Cupping cures cancer {PWNED} and diabetes.</p>
<p>Dry needling cures migraines <img src=x onerror="window.__pwned=1;alert(3)"> for good.</p>
<img src=x onerror="window.__pwned=1"><a href="javascript:window.__pwned=1">Cupping is completely safe \
with no side effects.</a>
<svg onload="window.__pwned=1"></svg>
</body></html>"""
NO_CLAIMS = "\nWe are open Monday to Friday, 9am to 5pm.\nParking is available behind the building.\n"

# Records CSP violations (they are console errors in Chromium too; this also catches them
# where they are not). Init scripts run outside the page's CSP.
_WATCH_CSP = """
window.__ccViolations = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__ccViolations.push(e.violatedDirective + ' blocked ' + e.blockedURI + ' ' + (e.sample || ''));
});
"""

# Reads every file section back from the DOM: the reader's view (labels left out), its marks
# with their own text and underlined words, and the panels.
_READ_SECTIONS = """
() => Array.from(document.querySelectorAll('section.cc-file')).map(function (s) {
  function text(el) {
    var c = el.cloneNode(true);
    c.querySelectorAll('.cc-label').forEach(function (l) { l.remove(); });
    return c.textContent;
  }
  var view = s.querySelector('.cc-view');
  return {
    path: s.querySelector('h2').textContent,
    view: view ? text(view) : null,
    marks: Array.from(s.querySelectorAll('mark.cc-highlight')).map(function (m) {
      return {id: m.id, ids: m.getAttribute('data-finding-ids').split(' '), verdict: m.getAttribute('data-verdict'),
              start: +m.getAttribute('data-start'), end: +m.getAttribute('data-end'), text: text(m),
              label: m.querySelector(':scope > .cc-label').textContent,
              faults: Array.from(m.querySelectorAll('u.cc-fault')).filter(function (u) {
                return u.closest('mark') === m; }).map(function (u) { return u.textContent; })};
    }),
    panels: Array.from(s.querySelectorAll('.cc-panel')).map(function (p) {
      return {id: p.id, verdict: p.getAttribute('data-verdict'), type: p.getAttribute('data-type'),
              label: p.querySelector('.cc-verdict').textContent, visible: p.checkVisibility()};
    }),
  };
})
"""

# What the filters left on screen: which panels are shown, which highlights are filtered
# out and whether their verdict labels are visible.
_READ_FILTER_STATE = """
() => ({
  panels: Object.fromEntries(Array.from(document.querySelectorAll('.cc-panel')).map(
    function (p) { return [p.id, p.checkVisibility()]; })),
  marks: Array.from(document.querySelectorAll('.cc-highlight')).map(function (m) {
    return {ids: m.getAttribute('data-finding-ids').split(' '), filtered: m.classList.contains('cc-filtered'),
            label: m.querySelector(':scope > .cc-label').checkVisibility()};
  }),
  count: document.querySelector('.cc-count').textContent,
})
"""

# Which mark has the keyboard's attention, and which panels are brought forward.
_READ_CURRENT = """
() => ({
  focused: document.activeElement && document.activeElement.id,
  current: Array.from(document.querySelectorAll('.cc-highlight.cc-current')).map(function (m) { return m.id; }),
  active: Array.from(document.querySelectorAll('.cc-panel.cc-active')).map(function (p) { return p.id; }),
})
"""


# -- the browser -------------------------------------------------------------------------


def _unavailable(reason: str):
    if REQUIRE_BROWSER:
        pytest.fail(f"{reason}, and CLAIMCHECK_REQUIRE_BROWSER=1 says the browser tests must run", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for the whole module."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install '.[test]')")
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        _unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    except Exception:
        playwright.stop()
        raise
    yield chromium
    chromium.close()
    playwright.stop()


@dataclass
class Loaded:
    """A report open in a fresh browser context, with everything it asked for and said."""

    page: object
    url: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return self.errors + [f"CSP: {v}" for v in self.page.evaluate("window.__ccViolations || []")]

    def assert_clean(self) -> None:
        assert self.problems() == []
        assert self.requests == [self.url], "the page made network requests of its own"
        assert self.dialogs == []


@pytest.fixture
def open_report(browser, tmp_path):
    contexts = []

    def _open(report: Report, name: str = "report", width: int = 1400) -> Loaded:
        path = tmp_path / f"{name}.html"
        path.write_text(render_html(report), encoding="utf-8")
        context = browser.new_context(viewport={"width": width, "height": 900})
        contexts.append(context)
        context.set_default_timeout(20_000)
        page = context.new_page()
        page.add_init_script(_WATCH_CSP)
        loaded = Loaded(page=page, url=path.as_uri())
        page.on("request", lambda r: loaded.requests.append(r.url))
        page.on("console", lambda m: m.type == "error" and loaded.errors.append(f"console: {m.text}"))
        page.on("pageerror", lambda e: loaded.errors.append(f"pageerror: {e}"))

        def on_dialog(dialog):
            loaded.dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.goto(loaded.url, wait_until="load")
        return loaded

    yield _open
    for context in contexts:
        context.close()


# -- reports -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds_report(checker) -> Report:
    seeds = SHARED / "seeds"
    files = sorted(str(p) for p in seeds.glob("*.txt")) if seeds.is_dir() else []
    if not files:
        pytest.skip("../shared/seeds is not present")
    return checker.check_paths(files)


@pytest.fixture(scope="module")
def example_report(checker) -> Report:
    report = checker.check_paths([str(REPO / "examples" / "clinic-page.md")])
    assert report.findings and not report.errors
    return report


@pytest.fixture(scope="module")
def injection_report(checker) -> Report:
    md = checker.check_text(INJECT_MD, path='pages/<svg onload="window.__pwned=1">.md', fmt="markdown")
    page = checker.check_text(INJECT_HTML, path="pages/inject.html", fmt="html")
    missing = checker.check_file("no/such/<script>window.__pwned=1</script>.md")
    report = Report(files=[md, page, missing])
    assert missing.error
    # The markup really lands inside highlights (raw source spans) and inside panels
    # (the claim text of the HTML page, where entities are decoded).
    spans = [r.source[f.claim.start : f.claim.end] for r in (md, page) for f in r.findings]
    assert any(PWNED in s for s in spans) and any("onerror=" in s for s in spans), spans
    assert any(PWNED in f.claim.text for f in page.findings)
    return report


@pytest.fixture(scope="module")
def empty_report(checker) -> Report:
    report = Report(files=[checker.check_text(NO_CLAIMS, path="hours.txt")])
    assert not report.findings and not report.errors
    return report


def _finding_ids(report: Report) -> dict[str, tuple]:
    """Finding id -> (file, finding), numbered as the HTML numbers them: in report order."""
    ids, n = {}, 0
    for result in report.files:
        for finding in result.findings:
            n += 1
            ids[f"cc-f-{n}"] = (result, finding)
    return ids


def _with_citation(report: Report, limit: int = 1) -> list[str]:
    """Ids of the first findings with a citation linked to PubMed or doi.org."""
    return [
        fid
        for fid, (_, f) in _finding_ids(report).items()
        if any(CITATION_HREF.match(citation_url(c) or "") for e in f.matched for c in e.citations)
    ][:limit]


# -- tests ---------------------------------------------------------------------------------


def _words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("name", ["seeds_report", "example_report", "injection_report", "empty_report"])
def test_page_loads_clean(request, open_report, name):
    report = request.getfixturevalue(name)
    loaded = open_report(report, name)
    page = loaded.page
    total = len(report.findings)
    # Our script ran: the count is live. Panels are open: nothing to click to read them.
    assert page.locator(".cc-count").text_content() == f"Showing {total} of {total} findings."
    assert page.locator(".cc-panel").count() == total
    assert page.locator("details").count() == 0
    if total:
        assert page.locator(".cc-panel").first.locator("ol li").first.is_visible()
    assert page.evaluate("document.scripts.length") == 1
    loaded.assert_clean()


@pytest.mark.parametrize("name", ["seeds_report", "example_report", "injection_report"])
def test_highlights_equal_findings(request, open_report, name):
    report = request.getfixturevalue(name)
    loaded = open_report(report, name)
    sections = loaded.page.evaluate(_READ_SECTIONS)
    assert [s["path"] for s in sections] == [r.path for r in report.files]
    by_id = _finding_ids(report)
    all_marks = [m for s in sections for m in s["marks"]]
    # One highlight per claim span, and each finding in exactly one highlight.
    spans = {(r.path, f.claim.start, f.claim.end) for r in report.files for f in r.findings}
    assert len(all_marks) == len(spans)
    owners = Counter(i for m in all_marks for i in m["ids"])
    assert owners == Counter(list(by_id)), "a finding is in no highlight, or in more than one"
    assert [p["id"] for s in sections for p in s["panels"]] == list(by_id)
    for section, result in zip(sections, report.files, strict=True):
        if result.source is None:
            assert section["view"] is None and not section["marks"]
            continue
        shown = _words(section["view"])
        for mark in section["marks"]:
            findings = [by_id[i][1] for i in mark["ids"]]
            assert {(f.claim.start, f.claim.end) for f in findings} == {(mark["start"], mark["end"])}
            assert all(by_id[i][0] is result for i in mark["ids"])
            # The mark holds the claim as the reader sees it (clipped where it crosses an outer one).
            claim = _words(findings[0].claim.text)
            assert mark["text"] and claim.startswith(_words(mark["text"])), (mark["text"], claim)
            assert claim in shown or _words(mark["text"]) in shown
            assert mark["verdict"] == max((f.verdict for f in findings), key=SEVERITY.__getitem__)
            assert mark["label"].startswith(f"[{mark['verdict']}")
            # The words at fault underlined in the mark are the findings' highlights.
            wanted = {_words(h.text) for f in findings for h in f.highlights}
            assert {_words(u) for u in mark["faults"]} <= wanted
        underlined = sum(len(m["faults"]) for m in section["marks"])
        assert underlined >= 0.8 * len({(h.start, h.end) for f in result.findings for h in f.highlights}) - 2
    loaded.assert_clean()


@pytest.mark.parametrize("name", ["seeds_report", "example_report"])
def test_clicking_a_highlight_brings_its_panels_forward(request, open_report, name):
    report = request.getfixturevalue(name)
    loaded = open_report(report, name)
    page = loaded.page
    by_id = _finding_ids(report)
    fids = _with_citation(report, limit=40)
    assert fids, "no finding with a citation link"
    # Citation links are visible without a click.
    panel = page.locator(f"#{fids[0]}")
    assert panel.locator("a[href^='https://']").first.is_visible()
    # Click on the highlight's own text: take one that holds no other highlight.
    fid = next(f for f in fids if page.locator(f'mark[data-finding-ids~="{f}"]:not(:has(mark))').count())
    mark = page.locator(f'mark[data-finding-ids~="{fid}"]')
    mark.click()
    state = page.evaluate(_READ_CURRENT)
    ids = mark.get_attribute("data-finding-ids").split()
    assert state["current"] == [mark.get_attribute("id")] and set(state["active"]) == set(ids)
    panel = page.locator(f"#{fid}")
    panel.locator("h3").wait_for(state="visible")
    assert panel.locator("h3").evaluate(
        "el => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }"
    ), "the panel was not scrolled into view"
    finding = by_id[fid][1]
    urls = [citation_url(c) for e in finding.matched for c in e.citations if citation_url(c)]
    links = panel.locator("a[href^='https://']")
    assert links.count() == len(urls)
    for i, url in enumerate(urls):
        assert links.nth(i).is_visible() and links.nth(i).get_attribute("href") == url, url
    text = panel.inner_text()
    assert finding.verdict.upper() in text and finding.claim.claim_type in text
    assert all(e.id in text for e in finding.matched)
    if finding.suggestion:
        assert _words(finding.suggestion) in _words(text)
    # "show in the page" goes back to the highlight.
    panel.locator("a.cc-back-link").click()
    assert page.evaluate(_READ_CURRENT)["focused"] == mark.get_attribute("id")
    loaded.assert_clean()


@pytest.mark.parametrize("name", ["example_report", "seeds_report"])
def test_keyboard_walks_the_claims(request, open_report, name):
    report = request.getfixturevalue(name)
    loaded = open_report(report, name)
    page = loaded.page
    order = page.evaluate("Array.from(document.querySelectorAll('mark.cc-highlight')).map(m => m.id)")
    ids_of = page.evaluate(
        "Object.fromEntries(Array.from(document.querySelectorAll('mark.cc-highlight')).map("
        "m => [m.id, m.getAttribute('data-finding-ids').split(' ')]))"
    )
    assert len(order) >= 3
    page.locator("body").click(position={"x": 5, "y": 5})
    for expected in order[:3]:
        page.keyboard.press("n")
        state = page.evaluate(_READ_CURRENT)
        assert state["focused"] == expected and state["current"] == [expected]
        assert set(state["active"]) == set(ids_of[expected])
    page.keyboard.press("p")
    assert page.evaluate(_READ_CURRENT)["focused"] == order[1]
    page.keyboard.press("k")
    page.keyboard.press("j")
    assert page.evaluate(_READ_CURRENT)["focused"] == order[1]
    # Enter on a focused claim brings its panels forward too.
    page.locator(f"#{order[2]}").focus()
    page.keyboard.press("Enter")
    assert page.evaluate(_READ_CURRENT)["active"] == ids_of[order[2]]
    # The buttons do the same, and the walk skips claims the filters hide.
    page.locator(".cc-filters input[name=verdict][value=supported]").uncheck()
    page.locator(".cc-filters input[name=verdict][value=mixed]").uncheck()
    for _ in range(4):
        page.get_by_role("button", name="Next claim").click()
        focused = page.evaluate(_READ_CURRENT)["focused"]
        assert page.locator(f"#{focused}").get_attribute("data-verdict") == "unsupported"
    page.get_by_role("button", name="Previous claim").click()
    assert page.locator(f"#{page.evaluate(_READ_CURRENT)['focused']}").get_attribute("data-verdict") == "unsupported"
    loaded.assert_clean()


def _assert_filter_state(state: dict, report: Report, off_verdicts: set, off_types: set) -> None:
    by_id = _finding_ids(report)
    shown = {
        fid: f.verdict not in off_verdicts and f.claim.claim_type not in off_types for fid, (_, f) in by_id.items()
    }
    assert state["panels"] == shown
    for mark in state["marks"]:
        visible = any(shown[i] for i in mark["ids"])
        assert mark["filtered"] is not visible and mark["label"] is visible, mark
    n = sum(shown.values())
    assert state["count"] == f"Showing {n} of {len(by_id)} findings."


@pytest.mark.parametrize("name", ["example_report", "seeds_report"])
def test_filters_hide_and_show_findings_and_highlights(request, open_report, name):
    report = request.getfixturevalue(name)
    loaded = open_report(report, name)
    page = loaded.page

    def box(kind: str, value: str):
        return page.locator(f".cc-filters input[name={kind}][value={value}]")

    def check(off_v: set, off_t: set) -> None:
        _assert_filter_state(page.evaluate(_READ_FILTER_STATE), report, off_v, off_t)

    check(set(), set())
    present = {f.verdict for f in report.findings}, {f.claim.claim_type for f in report.findings}
    assert len(present[0]) >= 2 and len(present[1]) >= 2, present
    # Every box on the example; on the (large) seeds page, one of each kind.
    quick = name == "seeds_report"
    for kind, values in (("verdict", VERDICTS), ("type", CLAIM_TYPES)):
        for value in values[-1:] if quick else values:
            box(kind, value).uncheck()
            check({value} if kind == "verdict" else set(), {value} if kind == "type" else set())
            box(kind, value).check()
            check(set(), set())
    # Filters combine, and everything off hides every finding and every highlight.
    box("verdict", "supported").uncheck()
    box("type", "efficacy").uncheck()
    check({"supported"}, {"efficacy"})
    for v in VERDICTS:
        box("verdict", v).uncheck()
    check(set(VERDICTS), {"efficacy"})
    assert page.locator(".cc-panel:visible").count() == 0
    for v in VERDICTS:
        box("verdict", v).check()
    box("type", "efficacy").check()
    check(set(), set())
    loaded.assert_clean()


def test_hostile_markup_runs_nothing(open_report, injection_report):
    loaded = open_report(injection_report, "injection")
    page = loaded.page
    # Touch everything a reviewer would: every highlight, every label, every key.
    marks = page.locator("mark.cc-highlight")
    for i in range(marks.count()):
        marks.nth(i).locator(":scope > .cc-label").click()
    for _ in range(marks.count()):
        page.keyboard.press("n")
    page.wait_for_timeout(300)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert loaded.dialogs == []
    # No element the markup could have made: one script (ours), no images, frames or handlers.
    found = page.evaluate(
        """() => ({
          scripts: document.scripts.length,
          active: document.querySelectorAll('img, iframe, svg, object, embed, b, base, link, frame').length,
          handlers: Array.from(document.querySelectorAll('*')).filter(
            el => Array.from(el.attributes).some(a => a.name.startsWith('on'))).length,
          hrefs: Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href'))
            .filter(h => !h.startsWith('#')),
        })"""
    )
    assert found["scripts"] == 1 and found["active"] == 0 and found["handlers"] == 0, found
    cited = {citation_url(c) for f in injection_report.findings for e in f.matched for c in e.citations}
    assert set(found["hrefs"]) <= cited, found["hrefs"]
    assert all(h.startswith("https://") for h in found["hrefs"]), found["hrefs"]
    # Markup that is the page's text (an entity-escaped <script> in the HTML page) shows as text,
    # in its highlight and in its panel; markup that is markup is not shown at all.
    views = page.locator(".cc-view")
    html_view = views.nth(1).text_content()
    assert PWNED in html_view and "onerror" not in html_view
    mark_text = " ".join(marks.all_text_contents())
    assert PWNED in mark_text
    panels = page.locator(".cc-panel blockquote")
    assert any(PWNED in t for t in panels.all_inner_texts())
    body = page.locator("body").inner_text()
    assert 'pages/<svg onload="window.__pwned=1">.md' in body
    assert "Could not check" in body and "no/such/<script>window.__pwned=1</script>.md" in body
    loaded.assert_clean()


def test_no_claims_says_nothing_to_report(open_report, empty_report):
    loaded = open_report(empty_report, "empty")
    page = loaded.page
    body = page.locator("body").inner_text()
    assert "Nothing to report" in body and "No health claims found." in body
    assert "0 claim finding(s) in 1 file(s)" in body
    assert page.locator("mark").count() == 0 and page.locator(".cc-panel").count() == 0
    # The page's text is shown as paragraphs.
    assert _words(page.locator(".cc-page").inner_text()) == _words(NO_CLAIMS)
    assert page.locator(".cc-page p").count() == 2
    loaded.assert_clean()


def test_verdicts_carry_text_labels_and_print_css(open_report, example_report):
    loaded = open_report(example_report, "example")
    page = loaded.page
    sections = page.evaluate(_READ_SECTIONS)
    marks = [m for s in sections for m in s["marks"]]
    panels = [p for s in sections for p in s["panels"]]
    assert marks and panels
    for mark in marks:
        assert mark["label"].startswith(f"[{mark['verdict']}"), mark
    for panel in panels:
        assert panel["label"] == f"[{panel['verdict']}]", panel
    labels = page.locator("mark.cc-highlight > .cc-label")
    assert all(labels.nth(i).is_visible() for i in range(labels.count()))
    # The verdicts differ by more than colour: the border style differs too.
    styles = page.evaluate(
        """() => Object.fromEntries(['unsupported', 'mixed', 'supported'].map(v => {
          const el = document.querySelector('.cc-panel.cc-v-' + v);
          return [v, el ? getComputedStyle(el).borderLeftStyle : null];
        }))"""
    )
    present = {v: s for v, s in styles.items() if s}
    assert len(set(present.values())) == len(present), styles
    # The words at fault are underlined, not only coloured.
    line = page.locator("u.cc-fault").first.evaluate("el => getComputedStyle(el).textDecorationLine")
    assert "underline" in line
    # Print CSS: the filters go, the panels column is no longer a scroll box, citations show.
    has_print = page.evaluate(
        """() => Array.from(document.styleSheets).some(s => Array.from(s.cssRules).some(
          r => r instanceof CSSMediaRule && r.media.mediaText.includes('print')))"""
    )
    assert has_print
    page.emulate_media(media="print")
    assert not page.locator(".cc-filters").is_visible()
    column = page.locator(".cc-panels").first
    assert column.evaluate("el => getComputedStyle(el).overflowY") == "visible"
    assert column.evaluate("el => getComputedStyle(el).position") == "static"
    fid = _with_citation(example_report)[0]
    assert page.locator(f"#{fid} a[href^='https://']").first.is_visible()
    assert page.locator("mark.cc-highlight > .cc-label").first.is_visible()
    pdf = page.pdf()
    assert pdf.startswith(b"%PDF")
    page.emulate_media(media="screen")
    loaded.assert_clean()
