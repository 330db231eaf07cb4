"""Hostile text (issue 16): inputs that would take unbounded memory, control characters for
terminals and CI logs, deep Markdown, mentions and colons in reports, and claims hidden with
invisible or look-alike characters or in places the HTML reader used to skip."""

from __future__ import annotations

import json
import re
import urllib.parse
from pathlib import Path

import pytest
from conftest import one_line_error as _one_line_error
from conftest import run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

CLAIM = "Dry needling cures migraines."


@pytest.fixture
def good(tmp_path: Path) -> Path:
    page = tmp_path / "good.txt"
    page.write_text(CLAIM + "\n", encoding="utf-8")
    return page


def _findings(out) -> dict[str, list]:
    return {Path(f["path"]).name: f["findings"] for f in json.loads(out.stdout)["files"]}


# -- 6. memory bounded by the input cap ------------------------------------------------------


def test_standard_input_is_capped_like_a_file():
    from claimcheck.ingest.documents import MAX_BYTES

    data = (CLAIM + "\n").encode() * (MAX_BYTES // 30 + 1000)
    out = run_cli("check", "-", "--no-model", stdin=data)
    assert "input too large" in _one_line_error(out, "<stdin>")


@pytest.mark.parametrize("suffix", [".md", ".txt", ".html"])
def test_a_million_blocks_is_refused_early_and_other_files_are_reported(tmp_path, good, suffix):
    page = tmp_path / f"bullets{suffix}"
    if suffix == ".html":
        page.write_text("<p>Dry needling is effective for:</p><ul>" + "<li>Migraines</li>" * 1_000_000 + "</ul>")
    else:
        page.write_text("Dry needling is effective for:\n" + "- Migraines\n" * 1_000_000)
    out = run_cli("check", str(good), str(page), "-f", "json", "--no-model")
    assert "more than 100,000 blocks" in _one_line_error(out, page.name)
    assert _findings(out)["good.txt"]


def _page(n: int) -> str:
    parts = [
        "# Dry needling at our clinic\n\n",
        "It relieves neck pain within days.\n\n",
        "Dry needling is effective for:\n\n- Migraines\n- Sciatica\n- Tennis elbow\n\n",
        "Cupping removes toxins and is completely safe.\n\n",
        "The clinic is open on Saturdays.\n\n",
        "We recommend it for:\n\n- Plantar fasciitis\n- Low back pain\n\n",
    ]
    return "".join(parts[i % len(parts)] for i in range(n))


@pytest.mark.parametrize("fmt", ["markdown", "text"])
def test_a_large_page_checked_in_parts_gives_the_findings_of_one_pass(rules_checker, fmt):
    from claimcheck.ingest.documents import parse
    from claimcheck.pipeline.chunking import check_large

    source = _page(600)
    whole = rules_checker.check_document(parse(source, "p", fmt))
    assert whole.findings
    for chars, units in ((300, 7), (80, 2), (10**9, 1)):
        parts = check_large(rules_checker, parse(source, "p", fmt), max_chars=chars, max_units=units)
        assert [(f.claim.start, f.claim.end, f.rule, f.verdict, f.evidence_id) for f in parts.findings] == [
            (f.claim.start, f.claim.end, f.rule, f.verdict, f.evidence_id) for f in whole.findings
        ]


def test_too_many_claims_is_a_one_line_refusal(rules_checker, monkeypatch):
    from claimcheck.ingest.documents import parse
    from claimcheck.pipeline import chunking

    monkeypatch.setattr(chunking, "MAX_CLAIMS", 20)
    result = chunking.check_large(rules_checker, parse(_page(200), "big.md", "markdown"), max_chars=500, max_units=5)
    assert result.error and result.error.startswith("big.md: more than 20 claims") and not result.findings


# -- 7. control characters never reach the terminal raw ---------------------------------------


def test_control_characters_in_copy_are_escaped_in_every_terminal_format(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text(
        "Dry needling relieves neck pain. \x07\x1b[2J\n"
        "\x1b]8;;http://x.test\x07 Dry needling cures migraines. \x1b]8;;\x07 \x9b\r done\n",
        encoding="utf-8",
    )
    for fmt in ("text", "full", "concise", "github", "markdown"):
        out = run_cli("check", str(page), "-f", fmt, "--no-model", "--fail-on", "never")
        shown = out.stdout.decode()
        assert out.returncode == 0 and not out.stderr, out.stderr
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", shown), repr(shown)
        assert "\\x07" in shown
    out = run_cli("check", str(page), "-f", "json", "--no-model", "--fail-on", "never")
    assert "\x9b" not in out.stdout.decode() and json.loads(out.stdout)["files"][0]["findings"]


def test_control_characters_in_file_names_are_escaped(tmp_path):
    evil = tmp_path / "a\x1b]0;title\x07b\rc.txt"
    evil.write_text(CLAIM + "\n", encoding="utf-8")
    for fmt in ("text", "full", "concise", "github"):
        out = run_cli("check", str(evil), "-f", fmt, "--no-model", "--fail-on", "never")
        shown = out.stdout.decode()
        assert out.returncode == 0 and not re.search("[\x00-\x09\x0b-\x1f]", shown), repr(shown)
        assert "a\\x1b]0;title\\x07b" in shown
    missing = tmp_path / "gone\x1b[2J.md"
    line = _one_line_error(run_cli("check", str(missing), "--no-model"), "gone\\x1b[2J.md")
    assert "\x1b" not in line


def test_a_file_name_cannot_start_a_workflow_command(tmp_path):
    name = "x\n::stop-commands::token\n::error::forged.txt"
    err = _one_line_error(run_cli("check", name, "-f", "github", "--no-model", cwd=tmp_path), "::stop-commands::")
    assert not err.startswith("::")
    (tmp_path / name).write_text(CLAIM + "\n", encoding="utf-8")
    out = run_cli("check", name, "-f", "github", "--no-model", cwd=tmp_path)
    assert out.returncode == 1 and not out.stderr
    lines = out.stdout.decode().splitlines()
    assert lines and all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)
    assert "::stop-commands::" not in out.stdout.decode()


# -- 9. deep Markdown nesting is read, or said not to be --------------------------------------


def test_claims_in_deep_quotes_and_lists_are_read(tmp_path):
    quotes = tmp_path / "quotes.md"
    quotes.write_text("> " * 20 + CLAIM + "\n", encoding="utf-8")
    nested = tmp_path / "lists.md"
    nested.write_text("".join("  " * i + "- item\n" for i in range(10)) + "  " * 10 + f"- {CLAIM}\n", encoding="utf-8")
    out = run_cli("check", str(quotes), str(nested), "-f", "json", "--no-model")
    assert out.returncode == 1, out.stderr
    found = _findings(out)
    assert found["quotes.md"] and found["lists.md"]
    assert all("cures migraines" in found[name][0]["text"] for name in found)


def test_markdown_too_deep_to_read_is_a_one_line_error(tmp_path, good):
    deep = tmp_path / "deep.md"
    deep.write_text("Intro.\n\n" + "> " * 200 + CLAIM + "\n", encoding="utf-8")
    out = run_cli("check", str(good), str(deep), "-f", "json", "--no-model")
    assert "nested too deeply at line 3" in _one_line_error(out, "deep.md")
    assert _findings(out)["good.txt"]


# -- 11. output formats: mentions and colons --------------------------------------------------


def test_markdown_report_neutralises_mentions(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text("Dry needling cures migraines, says @drsmith of @acme/physio-team.\n", encoding="utf-8")
    out = run_cli("check", str(page), "-f", "markdown", "--no-model")
    text = out.stdout.decode()
    assert out.returncode == 1 and "drsmith" in text and "acme/physio-team" in text
    assert not re.search(r"(?<![A-Za-z0-9])@[A-Za-z0-9]", text), text
    assert "@&#8203;drsmith" in text


def test_sarif_uri_of_a_name_with_a_colon_is_a_relative_reference(tmp_path):
    (tmp_path / "c:d.txt").write_text(CLAIM + "\n", encoding="utf-8")
    out = run_cli("check", "c:d.txt", "-f", "sarif", "--no-model", cwd=tmp_path)
    assert out.returncode == 1, out.stderr
    result = json.loads(out.stdout)["runs"][0]["results"][0]
    uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert urllib.parse.urlsplit(uri).scheme == "" and urllib.parse.unquote(uri) == "c:d.txt"


# -- 12. claims hidden with invisible or look-alike characters --------------------------------

EVASIONS = {
    "zero-width space": "Dry needling cu\u200bres migraines.",
    "zero-width joiner": "Dry need\u200dling cures migraines.",
    "zero-width non-joiner": "Dry needling cures mig\u200craines.",
    "word joiner": "Dry needling cures migr\u2060aines.",
    "soft hyphen": "Dry needl\u00ading cures mi\u00adgraines.",
    "byte-order mark": "Dry nee\ufeffdling cures migraines.",
    "cyrillic": "Dry needling \u0441ur\u0435s migr\u0430in\u0435s.",
    "greek": "Dry needling cures migr\u03b1ines.",
    "greek capitals": "DRY N\u0395\u0395DL\u0399NG CURES M\u0399GRA\u0399NES.",
    "fullwidth": "\uff24\uff52\uff59 \uff4e\uff45\uff45\uff44\uff4c\uff49\uff4e\uff47 \uff43\uff55\uff52\uff45\uff53 "
    "\uff4d\uff49\uff47\uff52\uff41\uff49\uff4e\uff45\uff53\uff0e",
    "combining accent": "Dry needling cu\u0301res migrai\u0308nes.",
    "right-to-left override": "Dry needling \u202eseniargim seruc\u202c.",
    "mixed": "Dr\u0443 ne\u200bedling \uff43ures mi\u00adgr\u0430i\u0301nes.",
}


def _key(result) -> list[tuple]:
    return [(f.rule, f.claim.claim_type, f.verdict, f.evidence_id) for f in result.findings]


@pytest.mark.parametrize("name", sorted(EVASIONS))
def test_hidden_characters_do_not_hide_a_claim(rules_checker, name):
    text = EVASIONS[name] + "\n"
    plain = rules_checker.check_text(CLAIM + "\n", "p.txt")
    result = rules_checker.check_text(text, "p.txt")
    assert _key(result) == _key(plain) and result.findings
    for f in result.findings:  # the finding points at, and shows, the source as written
        assert f.claim.text == text[f.claim.start : f.claim.end]
        assert f.claim.start == 0 and f.claim.end == len(text) - 1


@pytest.mark.parametrize(
    "page",
    [
        "<p>Dry needling cu&shy;res migraines.</p>",
        "<noscript><p>Dry needling cures migraines.</p></noscript>",
        "<template><p>Dry needling cures migraines.</p></template>",
        '<iframe srcdoc="&lt;p&gt;Dry needling cures &amp;shy;migraines.&lt;/p&gt;"></iframe>',
        "<iframe srcdoc='<p>Dry needling cures migraines.</p>'></iframe>",
        '<svg viewBox="0 0 10 10"><title>icon</title><text x="0" y="5">Dry needling cures migraines.</text></svg>',
    ],
)
def test_claims_in_places_the_html_reader_skipped_are_found(rules_checker, page):
    plain = rules_checker.check_text(CLAIM, "p.txt")
    result = rules_checker.check_text(page, "p.html", "html")
    assert _key(result) == _key(plain), page
    source = page[result.findings[0].claim.start : result.findings[0].claim.end]
    assert source.startswith("Dry needling") and source.endswith("migraines.")


def test_an_srcdoc_nested_too_deep_is_refused(rules_checker):
    page = "<p>x</p>"
    for _ in range(5):
        page = '<iframe srcdoc="' + page.replace("&", "&amp;").replace('"', "&quot;") + '"></iframe>'
    result = rules_checker.check_text(page, "deep.html", "html")
    assert result.error and result.error.startswith("deep.html: iframe srcdoc nested")


INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]
SENTENCES = [
    "Dry needling relieves neck pain within a week.",
    "It also cures migraines and sciatica.",
    "Acupuncture is completely safe with no side effects.",
    "Cupping works better than painkillers.",
    "The clinic is open on Saturdays.",
]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    sentences=st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=4),
    inserts=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.sampled_from(INVISIBLE)), max_size=10),
    fmt=st.sampled_from(["text", "markdown"]),
)
def test_inserting_invisible_characters_never_changes_the_claims_found(rules_checker, sentences, inserts, fmt):
    base = " ".join(sentences)
    chars = list(base)
    for where, ch in sorted(inserts, reverse=True):
        at = int(where * len(base))
        chars.insert(at, ch)
    text = "".join(chars) + "\n"

    def shown(result) -> list[tuple]:
        strip = str.maketrans("", "", "".join(INVISIBLE))
        return [
            (f.rule, f.claim.claim_type, f.verdict, f.evidence_id, f.claim.text.translate(strip))
            for f in result.findings
        ]

    expected = rules_checker.check_text(base + "\n", "p", fmt)
    result = rules_checker.check_text(text, "p", fmt)
    assert shown(result) == shown(expected)
    for f in result.findings:
        assert f.claim.text == text[f.claim.start : f.claim.end]
