"""The result cache: exact round-trips, keys that change with every input, corrupt entries are misses."""

from __future__ import annotations

import json

from claimcheck import __version__
from claimcheck.core.records import Citation, Claim, EvidenceMatch, FileResult, Finding, Highlight, Notice, Qualifiers
from claimcheck.project.cache import (
    CACHEDIR_TAG,
    ResultCache,
    digest_files,
    result_from_dict,
    result_to_dict,
    settings_key,
)


def rich_result() -> FileResult:
    claim = Claim(
        claim_type="efficacy",
        text="Dry needling is clinically proven to cure migraines.",
        start=17,
        end=69,
        intervention="dry_needling",
        intervention_label="dry needling",
        concepts=["migraine", "headache"],
        qualifiers=Qualifiers(absolute=["clinically proven", "cure"], population=["everyone"]),
        in_list=True,
        confidence=0.8374629184,
        explicit_subject=False,
    )
    finding = Finding(
        rule="CC101",
        claim=claim,
        verdict="unsupported",
        reasons=["evidence dn.headache.migraine: mixed", "certainty wording 'cure'", "verdict: unsupported"],
        suggestion="Dry needling may help some people with migraines.",
        evidence_id="dn.headache.migraine",
        evidence_topic="Migraine",
        certainty="low",
        citations=[
            Citation(ref="Smith 2020", pmid="123456", design="RCT"),
            Citation(ref="Jones 2021", doi="10.1000/x", url="https://example.test/j"),
        ],
        line=2,
        column=1,
        end_line=2,
        end_column=53,
        evidence=[
            EvidenceMatch(
                id="dn.headache.migraine",
                topic="Migraine",
                certainty="low",
                entry_verdict="mixed",
                verdict="unsupported",
                rule="CC101",
                reasons=["evidence dn.headache.migraine: mixed", "certainty wording 'cure'", "verdict: unsupported"],
                suggestion="Dry needling may help some people with migraines.",
                citations=[Citation(ref="Smith 2020", pmid="123456", design="RCT")],
            )
        ],
        highlights=[Highlight(33, 50, "certainty", "clinically proven"), Highlight(54, 58, "certainty", "cure")],
    )
    return FileResult(
        path="content/page.md",
        findings=[finding],
        notices=[
            Notice(
                "CC901",
                "evidence dn.headache.migraine was last reviewed 2020-01-01 (over 24 months ago)",
                2,
                1,
                "dn.headache.migraine",
            )
        ],
        source="# Dry needling\n\nDry needling is clinically proven to cure migraines.\n",
        fmt="markdown",
    )


def test_round_trip_is_exact():
    result = rich_result()
    data = json.loads(json.dumps(result_to_dict(result)))
    back = result_from_dict(data)
    assert back == result
    assert isinstance(back.findings[0].claim.qualifiers, Qualifiers)
    assert isinstance(back.findings[0].citations[1], Citation)
    assert back.findings[0].claim.confidence == 0.8374629184
    error = FileResult(path="bad.md", error="bad.md: file is empty")
    assert result_from_dict(json.loads(json.dumps(result_to_dict(error)))) == error


def test_round_trip_of_real_checker_results(checker):
    text = "# Dry needling\n\n- Dry needling cures migraines.\n- It is completely safe with no side effects.\n"
    result = checker.check_text(text, "page.md", "markdown")
    assert result.findings
    assert result_from_dict(json.loads(json.dumps(result_to_dict(result)))) == result


def test_put_get_and_folder_markers(tmp_path):
    cache = ResultCache(tmp_path / ".claimcheck_cache")
    key = cache.key(b"page bytes", settings_key(fmt="markdown", min_confidence=0.0))
    assert cache.get(key) is None
    assert cache.put(key, rich_result())
    assert cache.get(key) == rich_result()
    moved = cache.get(key, path="elsewhere/copy.md")
    assert moved is not None and moved.path == "elsewhere/copy.md"
    tag = (tmp_path / ".claimcheck_cache" / "CACHEDIR.TAG").read_text()
    assert tag == CACHEDIR_TAG and tag.startswith("Signature: 8a477f597d28d172789f06886806bc55")
    assert (tmp_path / ".claimcheck_cache" / ".gitignore").read_text() == "*\n"
    assert not [
        p for p in (tmp_path / ".claimcheck_cache").iterdir() if p.name.startswith(".") and p.name != ".gitignore"
    ]


def test_key_depends_on_bytes_version_and_settings(tmp_path, monkeypatch):
    cache = ResultCache(tmp_path)
    base = cache.key(b"abc", "s")
    assert base == cache.key(b"abc", "s") and len(base) == 64
    assert base != cache.key(b"abd", "s")
    assert base != cache.key(b"abc", "t")
    assert cache.key(b"ab", "cs") != cache.key(b"abc", "s")  # no ambiguity at the boundary
    monkeypatch.setattr("claimcheck.project.cache.__version__", __version__ + ".post1")
    assert base != cache.key(b"abc", "s")


def test_settings_key_is_canonical():
    assert settings_key(a=1, b="x") == settings_key(b="x", a=1)
    assert settings_key(a=1) != settings_key(a=2)


def test_digest_files_changes_with_content_and_names(tmp_path):
    folder = tmp_path / "evidence"
    folder.mkdir()
    (folder / "a.yaml").write_text("one")
    first = digest_files([folder])
    assert digest_files([folder]) == first
    (folder / "a.yaml").write_text("two")
    second = digest_files([folder])
    assert second != first
    (folder / "a.yaml").rename(folder / "b.yaml")
    assert digest_files([folder]) != second
    assert digest_files([]) != digest_files([folder])


def test_corrupt_and_foreign_entries_are_misses(tmp_path):
    cache = ResultCache(tmp_path)
    key = cache.key(b"x", "")
    cache.put(key, rich_result())
    entry = tmp_path / f"{key}.json"
    entry.write_text("{truncated")
    assert cache.get(key) is None
    entry.write_text(json.dumps({"version": 1, "key": key, "result": {"path": "x", "unexpected": 1}}))
    assert cache.get(key) is None
    entry.write_text(json.dumps({"version": 99, "key": key, "result": result_to_dict(rich_result())}))
    assert cache.get(key) is None
    entry.write_bytes(b"\xff\xfe\x00garbage")
    assert cache.get(key) is None
    other = cache.key(b"y", "")
    entry.write_text(json.dumps({"version": 1, "key": other, "result": result_to_dict(rich_result())}))
    assert cache.get(key) is None  # an entry copied under the wrong name


def test_unwritable_folder_is_not_an_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    cache = ResultCache(blocker / "cache")
    assert cache.put("k" * 64, rich_result()) is False
    assert cache.get("k" * 64) is None


def test_clear_removes_only_our_folder(tmp_path):
    cache = ResultCache(tmp_path / "c")
    cache.put(cache.key(b"x", ""), rich_result())
    cache.clear()
    assert not (tmp_path / "c").exists()
    other = tmp_path / "not-ours"
    other.mkdir()
    (other / "keep.txt").write_text("x")
    ResultCache(other).clear()
    assert (other / "keep.txt").exists()
