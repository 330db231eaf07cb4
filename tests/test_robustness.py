"""Ugly input never crashes claimcheck: property tests on the API and a bad-input suite on the CLI."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from conftest import REPO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

CLAIMY = st.sampled_from([
    "Dry needling relieves neck pain.", "It flushes lactic acid.", "Very safe, no side effects!",
    "Better than pills.", "Effective for:", "- Migraines", "✔ Sciatica", "# Heading", "<p>", "&amp;",
    "\n", "  ", "1. ", "💡", "?", "```", "---", "<!-- x -->", "\t", "\r\n",
])
TEXTS = st.lists(st.one_of(st.text(max_size=40), CLAIMY), max_size=25).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXTS, fmt=st.sampled_from(["text", "markdown", "html"]))
def test_any_text_never_raises_and_offsets_hold(rules_checker, text, fmt):
    result = rules_checker.check_text(text, "p.txt", fmt)
    again = rules_checker.check_text(text, "p.txt", fmt)
    assert [(f.rule, f.claim.start, f.claim.end, f.verdict) for f in result.findings] == [
        (f.rule, f.claim.start, f.claim.end, f.verdict) for f in again.findings
    ]
    for f in result.findings:
        assert 0 <= f.claim.start < f.claim.end <= len(text)
        if fmt == "text":
            assert text[f.claim.start : f.claim.end] == f.claim.text


def _check(cli, *paths, extra=()):
    out = cli("check", *map(str, paths), "--format", "json", "--no-model", *extra)
    err = out.stderr.decode()
    assert "Traceback" not in err, err
    return out, err


@pytest.fixture
def good(tmp_path):
    page = tmp_path / "good.md"
    page.write_text("Dry needling relieves neck pain.\n", encoding="utf-8")
    return page


@pytest.mark.parametrize(
    ("name", "payload", "expect"),
    [
        ("nul.txt", b"Dry needling\x00relieves pain", "binary"),
        ("latin1.md", "Dry needling caf\xe9".encode("latin-1"), "UTF-8"),
        ("empty.txt", b"", "empty"),
        ("big.txt", b"a" * (21 * 1024 * 1024), "too large"),
    ],
)
def test_bad_file_is_one_line_error_and_others_still_reported(cli, tmp_path, good, name, payload, expect):
    bad = tmp_path / name
    bad.write_bytes(payload)
    out, err = _check(cli, good, bad)
    assert out.returncode == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and name in lines[0] and expect in lines[0]
    files = {os.path.basename(f["path"]): f for f in json.loads(out.stdout)["files"]}
    assert files["good.md"]["findings"]


def test_utf16_with_bom_is_read(cli, tmp_path):
    page = tmp_path / "utf16.txt"
    page.write_bytes("Dry needling relieves neck pain.\n".encode("utf-16"))
    out, _ = _check(cli, page, extra=("--fail-on", "never"))
    assert out.returncode == 0
    assert json.loads(out.stdout)["files"][0]["findings"]


def test_one_long_line(cli, tmp_path):
    # Known limit: a 5 MB single line takes minutes (sentence lookup is quadratic per unit); see bench notes.
    page = tmp_path / "long.txt"
    page.write_text(("Dry needling relieves neck pain and it is very safe. " * 2_000), encoding="utf-8")
    start = time.monotonic()
    out, _ = _check(cli, page, extra=("--fail-on", "never"))
    assert out.returncode == 0
    assert json.loads(out.stdout)["files"][0]["findings"]
    assert time.monotonic() - start < 240  # a guard against hangs, not a benchmark


def test_deeply_nested_and_malformed_html(cli, tmp_path):
    page = tmp_path / "nested.html"
    page.write_text("<div>" * 20_000 + "<p>Dry needling relieves neck pain.<b><i></p></div></span>" + "<td>" * 50,
                    encoding="utf-8")
    out, _ = _check(cli, page, extra=("--fail-on", "never"))
    assert out.returncode == 0
    assert json.loads(out.stdout)["files"][0]["findings"]


def test_markdown_with_unclosed_fence(cli, tmp_path):
    page = tmp_path / "fence.md"
    page.write_text("Dry needling relieves neck pain.\n\n```python\nDry needling cures everything.\n", encoding="utf-8")
    out, _ = _check(cli, page, extra=("--fail-on", "never"))
    texts = [f["text"] for f in json.loads(out.stdout)["files"][0]["findings"]]
    assert texts and all("cures everything" not in t for t in texts)


def test_symlink_loop_and_missing_path(cli, tmp_path, good):
    loop = tmp_path / "loop.md"
    os.symlink(loop, loop)
    out, err = _check(cli, good, loop, tmp_path / "nope.md")
    assert out.returncode == 2
    assert len(err.strip().splitlines()) == 2
    assert "loop.md" in err and "nope.md" in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file(cli, tmp_path, good):
    bad = tmp_path / "secret.md"
    bad.write_text("Dry needling relieves pain.", encoding="utf-8")
    bad.chmod(0)
    out, err = _check(cli, good, bad)
    assert out.returncode == 2 and "secret.md" in err and "permission" in err


def test_broken_config_style_evidence_is_one_line(cli, tmp_path, good):
    folder = tmp_path / "ev"
    folder.mkdir()
    (folder / "x.yaml").write_text("intervention: dry_needling\nentries: {not: [a list\n", encoding="utf-8")
    out, err = _check(cli, good, extra=("--evidence", str(folder)))
    assert out.returncode == 2 and len(err.strip().splitlines()) == 1 and "x.yaml" in err


def test_ctrl_c_exits_130_and_leaves_no_partial_output(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    for i in range(200):
        (pages / f"p{i}.txt").write_text("Dry needling relieves neck pain. " * 200, encoding="utf-8")
    target = tmp_path / "report.json"
    proc = subprocess.Popen([sys.executable, "-m", "claimcheck", "check", str(pages), "--no-model",
                             "--format", "json", "-o", str(target)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO)
    time.sleep(6)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert b"Traceback" not in err
    assert not target.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".report.json")]
