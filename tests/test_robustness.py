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

CLAIMY = st.sampled_from(
    [
        "Dry needling relieves neck pain.",
        "It flushes lactic acid.",
        "Very safe, no side effects!",
        "Better than pills.",
        "Effective for:",
        "- Migraines",
        "✔ Sciatica",
        "# Heading",
        "<p>",
        "&amp;",
        "\n",
        "  ",
        "1. ",
        "💡",
        "?",
        "```",
        "---",
        "<!-- x -->",
        "\t",
        "\r\n",
    ]
)
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
        ("huge.txt", b"Dry needling relieves neck pain. " * (50 * 1024 * 1024 // 33 + 1), "too large"),  # 50 MB
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


def test_one_long_line_of_claims(cli, tmp_path):
    # 106k characters, every sentence a claim: once 46 s (quadratic per unit), now about a second.
    sentence = "Dry needling relieves neck pain and it is very safe. "
    page = tmp_path / "long.txt"
    page.write_text(sentence * 2_000, encoding="utf-8")
    out, _ = _check(cli, page, extra=("--fail-on", "never"))
    assert out.returncode == 0
    findings = json.loads(out.stdout)["files"][0]["findings"]
    assert len({f["start"] for f in findings}) == 4_000  # two predicate clauses, two claims, per sentence
    clauses = {"Dry needling relieves neck pain": 0, "it is very safe.": sentence.index("it is")}
    assert all(f["start"] % len(sentence) == clauses[f["text"]] for f in findings)


FILLER = [
    "The clinic is open from Monday to Saturday and parking is available on site. ",
    "Our reception team will help you book a first appointment that suits you. ",
    "Please bring a list of any medicines you take and wear loose clothing. ",
    "We are a short walk from the station, next to the public library. ",
    "Appointments last about forty minutes, including time to talk things through. ",
]


def test_one_5_mb_line(cli, tmp_path):
    """A 5 MB file that is one line of 72k sentences: a correct result, or a one-line error
    naming the file with exit 2 -- never a hang. The CLI runner's 300 s timeout is the hang
    guard, not a benchmark (about 10 s on a 2-core machine; see bench/README.md)."""
    claim = "Dry needling relieves neck pain. "
    parts, starts, size = [], [], 0
    while size < 5 * 1024 * 1024:
        text = claim if len(parts) % 50 == 0 else FILLER[len(parts) % len(FILLER)]
        if text is claim:
            starts.append(size)
        parts.append(text)
        size += len(text)
    page = tmp_path / "one-line.txt"
    page.write_text("".join(parts), encoding="utf-8")
    out, err = _check(cli, page, extra=("--fail-on", "never"))
    if out.returncode == 2:  # allowed: refused with one line that names the input
        lines = err.strip().splitlines()
        assert len(lines) == 1 and "one-line.txt" in lines[0]
        return
    assert out.returncode == 0, err
    findings = json.loads(out.stdout)["files"][0]["findings"]
    assert sorted({f["start"] for f in findings}) == starts
    assert all(f["text"] == claim.strip() and f["line"] == 1 and f["column"] == f["start"] + 1 for f in findings)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    words=st.lists(
        st.one_of(
            st.sampled_from(
                [
                    "1",
                    "one",
                    "in",
                    "per",
                    "100",
                    "1,000",
                    "5%",
                    "<5%",
                    "~3%",
                    "12.5%",
                    "≤",
                    "<",
                    "10",
                    "-",
                    "–",
                    "10-20%",
                    "percent",
                    "%",
                    "hours",
                    "days",
                    "Dr.",
                    "dr.",
                    "(2019).",
                    "2019",
                    "2021;",
                    ":",
                    ";",
                    "12(3):45",
                    "45:",
                    "Ozone",
                    "therapy",
                    "Therapy",
                    "treatment",
                    "Cryotherapy",
                    "magnetotherapy",
                    "This",
                    "Modern",
                    "Über",
                    "İstanbul",
                ]
            ),
            st.text(max_size=8),
        ),
        max_size=30,
    ),
    seps=st.sampled_from([" ", "", "\n", "  "]),
)
def test_token_patterns_match_exactly_as_spacy_does(rules_checker, words, seps):
    """The matcher precomputes word-level pattern tests as lexeme flags (nlp.LexemeFlags) and
    skips docs no pattern can match (nlp.PatternGate); it must find exactly what spaCy's
    Matcher finds with the patterns as written."""
    from spacy.matcher import Matcher

    nlp = rules_checker.nlp
    lexicon = rules_checker.lexicon
    matcher = nlp.get_pipe("claimcheck_matcher").matcher
    reference = Matcher(nlp.vocab)
    for prefix, items in (("C", lexicon.concepts), ("Q", lexicon.cues)):
        for item in items.values():
            if item.patterns:
                reference.add(f"{prefix}:{item.id}", item.patterns)
    doc = nlp(seps.join(words))
    expected = reference(doc)
    assert matcher.token_matches(doc) == expected
    assert matcher.tokens(doc) == expected
    if not matcher._gate.may_match(doc):  # the gate only skips docs that have no match
        assert expected == []


def test_deeply_nested_and_malformed_html(cli, tmp_path):
    page = tmp_path / "nested.html"
    page.write_text(
        "<div>" * 20_000 + "<p>Dry needling relieves neck pain.<b><i></p></div></span>" + "<td>" * 50, encoding="utf-8"
    )
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
    for i in range(300):
        (pages / f"p{i}.txt").write_text(f"Page {i}. " + "Dry needling relieves neck pain. " * 200, encoding="utf-8")
    target = tmp_path / "report.json"
    cache = tmp_path / "cache"  # a fresh cache: its first entry says checking has begun
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "claimcheck",
            "check",
            str(pages),
            "--no-model",
            "--format",
            "json",
            "-o",
            str(target),
            "--cache-dir",
            str(cache),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=REPO,
        # A test run started in the background (`cmd &`) inherits SIGINT ignored, and Python
        # keeps an ignored SIGINT ignored: give the child the default, as a terminal would.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None and not list(cache.glob("*.json")):
        time.sleep(0.2)
    assert proc.poll() is None, "the run ended before it could be interrupted"
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert b"Traceback" not in err
    assert not target.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".report.json")]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_named_pipe_is_refused_not_waited_on(cli, tmp_path, good):
    """A pipe with no writer would block a read for ever: it is refused with one line."""
    pipe = tmp_path / "pipe.md"
    os.mkfifo(pipe)
    for extra in ((), ("--no-cache",)):
        out, err = _check(cli, good, pipe, extra=extra)
        assert out.returncode == 2
        lines = err.strip().splitlines()
        assert len(lines) == 1 and "pipe.md" in lines[0] and "not a regular file" in lines[0]
        assert json.loads(out.stdout)["files"][0]["findings"]


@pytest.mark.parametrize(
    ("args", "expect"),
    [
        (("check", "--bogus", "x.md"), "No such option: --bogus"),
        (("check", "x.md", "--format", "nope"), "'nope' is not one of"),
        (("nosuchcommand",), "No such command"),
        (("check",), "Missing argument"),
    ],
)
def test_unknown_options_are_one_line_and_exit_2(cli, args, expect):
    out = cli(*args)
    err = out.stderr.decode()
    assert out.returncode == 2
    assert len(err.strip().splitlines()) == 1 and expect in err and "--help" in err
    assert "Traceback" not in err


def test_url_that_times_out_is_one_line_and_other_files_are_reported(cli, good):
    import http.server
    import threading

    class Slow(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            time.sleep(3)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/page"
    try:
        started = time.monotonic()
        out, err = _check(cli, good, url, extra=("--url-timeout", "0.5"))
        assert time.monotonic() - started < 60
    finally:
        server.shutdown()
    assert out.returncode == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and url in lines[0] and "timed out after 0.5s" in lines[0]
    files = {f["path"]: f for f in json.loads(out.stdout)["files"]}
    assert files[str(good)]["findings"] and files[url]["error"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    words=st.lists(
        st.one_of(
            st.sampled_from(
                [
                    "Hello",
                    "world",
                    ".",
                    "!",
                    "?",
                    "…",
                    "。",
                    '"',
                    ")",
                    "(",
                    "-",
                    "it's",
                    "3.5",
                    "e.g.",
                    "Dr.",
                    "\n",
                    "💡",
                    ":",
                    ";",
                    "?!",
                    "...",
                    "'",
                ]
            ),
            st.text(max_size=4),
        ),
        max_size=25,
    ),
    sep=st.sampled_from([" ", "", "\n"]),
)
def test_sentence_splitting_matches_spacys_sentencizer(rules_checker, words, sep):
    """claimcheck's sentence pipe computes spaCy's Sentencizer rule on arrays; the sentence
    starts must be exactly the ones spaCy's own component sets."""
    from spacy.pipeline import Sentencizer

    from claimcheck.nlp.engine import SENTENCE_PUNCT

    nlp = rules_checker.nlp
    text = sep.join(words)
    ours = nlp.get_pipe("claimcheck_sentences")(nlp.make_doc(text))
    reference = Sentencizer(punct_chars=list(SENTENCE_PUNCT))(nlp.make_doc(text))
    assert [t.is_sent_start for t in ours] == [t.is_sent_start for t in reference]
