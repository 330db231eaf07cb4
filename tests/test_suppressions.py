"""Suppression comments: next-line, ranges, file-wide; reasons required; unused ones reported."""

from __future__ import annotations

from claimcheck.core.records import Claim, Finding, Qualifiers
from claimcheck.project.suppressions import Notice, apply_suppressions


def finding(rule: str, line: int, column: int = 1, text: str = "Dry needling cures migraines.") -> Finding:
    claim = Claim(
        claim_type="efficacy",
        text=text,
        start=0,
        end=len(text),
        intervention="dry_needling",
        intervention_label="dry needling",
        concepts=["migraine"],
        qualifiers=Qualifiers(),
    )
    return Finding(
        rule=rule, claim=claim, verdict="unsupported", reasons=["r"], suggestion=None, line=line, column=column
    )


def rules(notices: list[Notice]) -> list[tuple[str, int, int]]:
    return [(n.rule, n.line, n.column) for n in notices]


def test_no_comments_is_a_no_op():
    findings = [finding("CC101", 1)]
    kept, notices = apply_suppressions("page.md", "Dry needling cures migraines.\n", findings)
    assert kept == findings and notices == []


def test_disable_next_line_with_reason():
    source = (
        "Intro.\n"
        "<!-- claimcheck-disable-next-line CC101 -- quoted from a patient testimonial -->\n"
        "\n"
        "Dry needling cures migraines.\n"
        "Dry needling cures migraines again.\n"
    )
    findings = [finding("CC101", 4), finding("CC102", 4), finding("CC101", 5)]
    kept, notices = apply_suppressions("page.md", source, findings)
    assert [(f.rule, f.line) for f in kept] == [("CC102", 4), ("CC101", 5)]
    assert notices == []


def test_next_line_skips_stacked_directives_and_accepts_commas_and_prefixes():
    source = (
        "<!-- claimcheck-disable-next-line CC1, CC3 -- reviewed 2024-05 -->\n"
        "<!-- claimcheck-disable-next-line CC201 -- hypothesis, labelled as such -->\n"
        "Claim line.\n"
    )
    findings = [finding("CC101", 3), finding("CC201", 3), finding("CC302", 3), finding("CC401", 3)]
    kept, notices = apply_suppressions("page.md", source, findings)
    assert [f.rule for f in kept] == ["CC401"]
    assert notices == []


def test_missing_reason_and_unused_are_reported_with_their_position():
    source = (
        "Text.\n"
        "  <!-- claimcheck-disable-next-line CC101 -->\n"
        "Claim.\n"
        "\n"
        "<!-- claimcheck-disable-next-line CC2 -- ok -->\n"
        "No claim.\n"
    )
    kept, notices = apply_suppressions("page.md", source, [finding("CC101", 3)])
    assert kept == []
    assert rules(notices) == [("CC902", 2, 3), ("CC903", 5, 1)]
    assert "without a reason" in notices[0].message and "suppresses nothing" in notices[1].message
    assert str(notices[1]).startswith("5:1: CC903 claimcheck-disable-next-line CC2")


def test_range_disable_enable():
    source = (
        "Line one.\n"  # 1
        "<!-- claimcheck-disable CC1 -- legacy copy, rewrite scheduled -->\n"  # 2
        "Line three.\n"  # 3
        "<!-- claimcheck-enable CC101 -->\n"  # 4
        "Line five.\n"  # 5
        "<!-- claimcheck-enable -->\n"  # 6
        "Line seven.\n"  # 7
    )
    findings = [
        finding("CC101", 1),
        finding("CC101", 3),
        finding("CC102", 3),
        finding("CC201", 3),
        finding("CC101", 5),
        finding("CC102", 5),
        finding("CC102", 7),
    ]
    kept, notices = apply_suppressions("page.md", source, findings)
    assert [(f.rule, f.line) for f in kept] == [("CC101", 1), ("CC201", 3), ("CC101", 5), ("CC102", 7)]
    assert notices == []


def test_unclosed_range_runs_to_end_and_same_line_position_counts():
    source = "Before <!-- claimcheck-disable -- all of it --> after.\nNext.\n"
    findings = [finding("CC101", 1, 1), finding("CC101", 1, 50), finding("CC301", 2)]
    kept, notices = apply_suppressions("page.md", source, findings)
    assert [(f.line, f.column) for f in kept] == [(1, 1)]
    assert notices == []


def test_disable_file_anywhere_in_the_file():
    source = "Claim.\nMore.\n<!-- claimcheck-disable-file CC102 -- evidence entry pending review -->\n"
    kept, notices = apply_suppressions("page.md", source, [finding("CC102", 1), finding("CC101", 2)])
    assert [f.rule for f in kept] == ["CC101"]
    assert notices == []


def test_unknown_word_is_reported_and_the_comment_ignored():
    source = "<!-- claimcheck-disable-next-line CC101 because testimonial -->\nClaim.\n"
    kept, notices = apply_suppressions("page.md", source, [finding("CC101", 2)])
    assert [f.rule for f in kept] == ["CC101"]
    assert rules(notices) == [("CC904", 1, 1)]
    assert "'because'" in notices[0].message


def test_em_dash_reason_and_multiline_comment():
    source = "<!--\n  claimcheck-disable-next-line CC101 \u2014 quoted\n  from NICE guidance\n-->\nClaim.\n"
    kept, notices = apply_suppressions("page.md", source, [finding("CC101", 5)])
    assert kept == [] and notices == []


def test_markdown_code_blocks_and_inline_code_are_not_directives():
    source = (
        "Write `<!-- claimcheck-disable-file -- x -->` to silence a page.\n"
        "\n"
        "```html\n"
        "<!-- claimcheck-disable-file -- example -->\n"
        "```\n"
        "\n"
        "Claim.\n"
    )
    kept, notices = apply_suppressions("page.md", source, [finding("CC101", 7)])
    assert [f.rule for f in kept] == ["CC101"] and notices == []


def test_html_comments_but_not_inside_script():
    source = (
        "<html><body>\n"
        "<script>var s = '<!-- claimcheck-disable-file -- not a comment -->';</script>\n"
        "<!-- claimcheck-disable-next-line -- quoted testimonial -->\n"
        "<p>Dry needling cures migraines.</p>\n"
        "<p>Dry needling cures back pain.</p>\n"
        "</body></html>\n"
    )
    findings = [finding("CC101", 4, 4), finding("CC101", 5, 4)]
    kept, notices = apply_suppressions("page.html", source, findings)
    assert [f.line for f in kept] == [5] and notices == []


def test_plain_text_and_explicit_format():
    source = "<!-- claimcheck-disable-next-line CC101 -- ok -->\nClaim.\n"
    kept, _ = apply_suppressions("<stdin>", source, [finding("CC101", 2)], fmt="text")
    assert kept == []
    kept, _ = apply_suppressions("https://example.test/page", source, [finding("CC101", 2)], fmt="html")
    assert kept == []


def test_real_findings_from_the_checker(checker):
    source = (
        "# Dry needling\n"
        "\n"
        "<!-- claimcheck-disable-next-line -- quoted from a patient review, marked as such -->\n"
        "Dry needling cures migraines and fibromyalgia.\n"
        "\n"
        "Dry needling cures migraines and fibromyalgia.\n"
    )
    result = checker.check_text(source, "page.md", "markdown")
    assert {f.line for f in result.findings} == {4, 6}
    kept, notices = apply_suppressions("page.md", source, result.findings)
    assert kept and {f.line for f in kept} == {6}
    assert notices == []
