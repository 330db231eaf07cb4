"""Hostile files around the pages (issue 16): report targets, cache entries, odd file names,
YAML bombs, slow globs and broken configuration. Each case gets a one-line error naming the
input and exit 2 (or the right result), never a traceback, and the other inputs are reported."""

from __future__ import annotations

import json
import os
import socket
import stat
from pathlib import Path

import pytest
from conftest import one_line_error as _one_line_error
from conftest import run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

CLAIM = "Dry needling cures migraines.\n"


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    page = tmp_path / "victim.txt"
    page.write_text(CLAIM, encoding="utf-8")
    return page


# -- 1. -o replaces only regular files, and never an input ----------------------------------


def _null_device(path: Path) -> Path:
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, AttributeError, OSError) as exc:
        pytest.skip(f"cannot make a device node here ({exc})")
    return path


def test_output_onto_a_device_node_is_refused_and_the_node_stays(tmp_path, victim):
    device = _null_device(tmp_path / "null")
    link = tmp_path / "link-to-null"
    link.symlink_to(device)
    for target in (device, link):
        out = run_cli("check", str(victim), "-o", str(target), "--no-model", cwd=tmp_path)
        assert "not a regular file" in _one_line_error(out, target.name)
        assert stat.S_ISCHR(os.stat(device).st_mode)
    assert link.is_symlink()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary file left


def test_output_onto_a_fifo_or_socket_is_refused_without_waiting(tmp_path, victim):
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    sock_path = tmp_path / "s.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(sock_path))
    try:
        for target in (fifo, sock_path):
            out = run_cli("check", str(victim), "-o", str(target), "--no-model", timeout=120)
            assert "not a regular file" in _one_line_error(out, target.name)
        assert stat.S_ISFIFO(os.stat(fifo).st_mode) and stat.S_ISSOCK(os.stat(sock_path).st_mode)
    finally:
        server.close()


def test_output_that_is_also_an_input_is_refused(tmp_path, victim):
    for target in (victim, tmp_path / "hard-link.txt"):
        if target != victim:
            os.link(victim, target)
        out = run_cli("check", str(victim), "-o", str(target), "--no-model")
        assert "also an input" in _one_line_error(out, target.name)
        assert victim.read_text(encoding="utf-8") == CLAIM
    folder = tmp_path / "content"
    folder.mkdir()
    page = folder / "page.md"
    page.write_text(CLAIM, encoding="utf-8")
    out = run_cli("check", str(folder), "-o", str(page), "--no-model")
    _one_line_error(out, "page.md")
    out = run_cli("baseline", "write", str(page), str(folder), "--no-model")
    _one_line_error(out, "page.md")
    assert page.read_text(encoding="utf-8") == CLAIM


def test_output_through_a_link_to_a_regular_file_replaces_that_file(tmp_path, victim):
    report = tmp_path / "report.json"
    report.write_text("old", encoding="utf-8")
    link = tmp_path / "latest.json"
    link.symlink_to(report)
    out = run_cli("check", str(victim), "-o", str(link), "-f", "json", "--no-model", "--fail-on", "never")
    assert out.returncode == 0, out.stderr
    assert link.is_symlink() and json.loads(report.read_text(encoding="utf-8"))["files"][0]["findings"]


# -- 2. a cache that cannot be poisoned -------------------------------------------------------


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    (project / "p.md").write_text(CLAIM, encoding="utf-8")
    return project


def _cached_run(project: Path, key: Path, *extra: str):
    return run_cli(
        "check", "p.md", "--no-model", *extra, cwd=project, env={"CLAIMCHECK_CACHE_KEY": str(key)}, timeout=120
    )


def _entries(project: Path) -> list[Path]:
    return sorted((project / ".claimcheck_cache").glob("*.json"))


def test_edited_or_foreign_cache_entries_are_not_trusted(tmp_path):
    project, key = _project(tmp_path), tmp_path / "key-a"
    first = _cached_run(project, key, "-f", "json")
    assert first.returncode == 1 and json.loads(first.stdout)["files"][0]["findings"]
    (entry,) = _entries(project)
    # The attack: the entry edited to hold no findings, as if committed with `git add -f`.
    header, _, payload = entry.read_bytes().partition(b"\n")
    data = json.loads(payload)
    data["result"]["findings"] = []
    entry.write_bytes(header + b"\n" + json.dumps(data).encode())
    out = _cached_run(project, key, "-f", "github")
    assert out.returncode == 1 and out.stdout.startswith(b"::error ")
    # The same entry signed by another installation's key (a clone) is a miss too.
    other = tmp_path / "clone"
    os.rename(project, other)
    out = _cached_run(other, tmp_path / "key-b", "-f", "github")
    assert out.returncode == 1 and b"::error " in out.stdout


@pytest.mark.parametrize("change", ["bogus verdict", "null line", "index out of range", "extra key", "not a dict"])
def test_signed_entries_with_wrong_contents_are_misses(tmp_path, change):
    from claimcheck.project.cache import ENTRY_MAGIC, ResultCache

    project, key = _project(tmp_path), tmp_path / "key"
    first = _cached_run(project, key, "-f", "json")
    assert first.returncode == 1
    (entry,) = _entries(project)
    data = json.loads(entry.read_bytes().partition(b"\n")[2])
    finding = data["result"]["findings"][0]
    if change == "bogus verdict":
        finding["verdict"] = "bogus"
    elif change == "null line":
        finding["line"] = None
    elif change == "index out of range":
        finding["claim"] = 7
    elif change == "extra key":
        data["result"]["surprise"] = 1
    else:
        data["result"] = []
    payload = json.dumps(data).encode()
    signer = ResultCache(project / ".claimcheck_cache", key_file=key)
    entry.write_bytes(ENTRY_MAGIC + signer._sign(payload) + b"\n" + payload)
    for fmt in ("json", "sarif", "text"):
        out = _cached_run(project, key, "-f", fmt)
        assert out.returncode == 1 and b"Traceback" not in out.stderr and not out.stderr, out.stderr
    # The entry is a miss: the file is checked afresh, giving the report the first run gave.
    assert _cached_run(project, key, "-f", "json").stdout == first.stdout


def test_fifo_or_link_as_a_cache_entry_is_a_miss_not_a_hang(tmp_path):
    project, key = _project(tmp_path), tmp_path / "key"
    assert _cached_run(project, key).returncode == 1
    (entry,) = _entries(project)
    secret = key.read_bytes()
    for make in (os.mkfifo, lambda p: os.symlink("/dev/zero", p), lambda p: os.symlink(key, p)):
        entry.unlink()
        make(entry)
        out = _cached_run(project, key, "-f", "json")
        assert out.returncode == 1, out.stderr
        assert json.loads(out.stdout)["files"][0]["findings"]
    assert key.read_bytes() == secret  # a link in the cache is replaced, never written through
    assert stat.S_ISREG(os.lstat(entry).st_mode)


def test_a_key_others_can_read_turns_the_cache_off(tmp_path):
    project, key = _project(tmp_path), tmp_path / "key"
    key.write_text("ab" * 32 + "\n")
    key.chmod(0o644)
    out = _cached_run(project, key, "-f", "json")
    assert out.returncode == 1 and json.loads(out.stdout)["files"][0]["findings"]
    assert not _entries(project)


# -- 3. file names that are not UTF-8 -------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "sarif", "text", "github", "markdown", "html", "concise"])
def test_file_names_that_are_not_utf8_are_reported_escaped(tmp_path, fmt):
    folder = tmp_path / "pages"
    folder.mkdir()
    try:
        with open(os.path.join(os.fsencode(folder), b"caf\xe9.txt"), "wb") as fh:
            fh.write(CLAIM.encode())
    except OSError as exc:
        pytest.skip(f"this file system refuses non-UTF-8 names ({exc})")
    (folder / "good.txt").write_text(CLAIM, encoding="utf-8")
    for _ in range(2):  # checked, then read back from the cache
        out = run_cli("check", str(folder), "-f", fmt, "--no-model", cwd=tmp_path)
        assert out.returncode == 1 and not out.stderr, out.stderr
        text = out.stdout.decode("utf-8")  # valid UTF-8 all through
        shown = {"sarif": "caf%E9.txt", "markdown": "caf\\\\xe9.txt", "json": "caf\\\\xe9.txt"}.get(fmt, "caf\\xe9.txt")
        assert "good.txt" in text and shown in text
    if fmt == "json":
        files = json.loads(text)["files"]
        assert {Path(f["path"]).name for f in files} == {"caf\\xe9.txt", "good.txt"}
        assert all(f["findings"] for f in files)


# -- 4. YAML alias bombs and files that are not files ----------------------------------------


def _bomb(levels: int = 9) -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels):
        prev, name = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_yaml_alias_bomb_in_evidence_is_refused(tmp_path, victim):
    folder = tmp_path / "evidence"
    folder.mkdir()
    (folder / "bomb.yaml").write_text(_bomb(), encoding="utf-8")
    assert (folder / "bomb.yaml").stat().st_size < 1200
    out = run_cli("check", str(victim), "--evidence", str(folder), "-f", "json", "--no-model", timeout=120)
    assert "aliases are expanded" in _one_line_error(out, "bomb.yaml")
    out = run_cli("evidence", "validate", str(folder / "bomb.yaml"), timeout=120)
    assert out.returncode == 2 and b"bomb.yaml" in out.stdout and b"Traceback" not in out.stderr


def test_yaml_recursive_and_deep_documents_are_refused():
    from claimcheck.core.yamlio import SchemaError, load_yaml_text

    for text, why in (("a: &a [*a]\n", "contains it"), ("[" * 500 + "]" * 500, "nested")):
        with pytest.raises(SchemaError, match=why):
            load_yaml_text(text, "x.yaml")
    assert load_yaml_text("base: &b {x: 1}\nother: *b\n") == {"base": {"x": 1}, "other": {"x": 1}}


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "too-large", "folder"])
def test_evidence_folder_entries_that_are_not_small_regular_files(tmp_path, victim, kind):
    folder = tmp_path / "evidence"
    folder.mkdir()
    bad = folder / "odd.yaml"
    if kind == "fifo":
        os.mkfifo(bad)
    elif kind == "dev-zero":
        bad.symlink_to("/dev/zero")
    elif kind == "too-large":
        with open(bad, "wb") as fh:
            fh.truncate(11 * 1024 * 1024)  # sparse: nothing large is written
    else:
        bad.mkdir()
    out = run_cli("check", str(victim), "--evidence", str(folder), "--no-model", timeout=120)
    _one_line_error(out, "odd.yaml")


# -- 5. globs in linear time, bad globs named ---------------------------------------------


def test_backtracking_glob_against_a_long_name_finishes(tmp_path):
    (tmp_path / "claimcheck.toml").write_text('exclude = ["**a**a**a**a**a**a**a**a**a**a**a**b"]\n')
    (tmp_path / ("a" * 200 + ".txt")).write_text(CLAIM, encoding="utf-8")
    out = run_cli("check", ".", "-f", "json", "--no-model", cwd=tmp_path, timeout=120)
    assert out.returncode == 1, out.stderr
    assert len(json.loads(out.stdout)["files"]) == 1


def test_bad_glob_range_is_one_line_naming_file_and_key(tmp_path):
    (tmp_path / "claimcheck.toml").write_text('exclude = ["drafts", "[z-a]*.md"]\n')
    (tmp_path / "p.md").write_text(CLAIM, encoding="utf-8")
    line = _one_line_error(run_cli("check", "p.md", "--no-model", cwd=tmp_path), "claimcheck.toml", "exclude[1]")
    assert "z-a" in line
    (tmp_path / "claimcheck.toml").write_text('[per-file-ignores]\n"[9-0].md" = ["CC1"]\n')
    _one_line_error(run_cli("check", "p.md", "--no-model", cwd=tmp_path), "claimcheck.toml", "per-file-ignores")


def _reference_regex(pattern: str, folders: bool):
    """The translation to a regular expression that the matcher replaced (backtracking)."""
    import re

    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[" and (close := pattern.find("]", i + 2)) != -1:
            body = pattern[i + 1 : close].replace("\\", "\\\\").replace("[", "\\[")
            out.append("[^" + body[1:] + "]" if body[:1] in "!^" else "[" + body + "]")
            i = close + 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out) + (r"(?:/.*)?\Z" if folders else r"\Z"))


@settings(max_examples=400, deadline=None)
@given(
    pattern=st.lists(st.sampled_from(["*", "**", "**/", "?", "a", "b", "/", ".", "[ab]", "[!a]", "[a-c]"]), max_size=7),
    path=st.lists(st.sampled_from(["a", "b", "c", "/", "."]), max_size=10),
    folders=st.booleans(),
)
def test_glob_matcher_agrees_with_the_regular_expression(pattern, path, folders):
    from claimcheck.core.globs import compile_glob

    pattern, path = "".join(pattern), "".join(path)
    assert compile_glob(pattern, folders).match(path) == bool(_reference_regex(pattern, folders).match(path))


# -- 10. errors that name the file ----------------------------------------------------------


def test_toml_nested_deeply_or_not_utf8_names_the_file(tmp_path):
    (tmp_path / "p.md").write_text(CLAIM, encoding="utf-8")
    config = tmp_path / "claimcheck.toml"
    config.write_text("x = " + "[" * 100_000 + "]" * 100_000 + "\n")
    _one_line_error(run_cli("check", "p.md", "--no-model", cwd=tmp_path), "claimcheck.toml")
    config.write_bytes(b'fail-on = "never"\n# caf\xff\n')
    assert "UTF-8" in _one_line_error(run_cli("check", "p.md", "--no-model", cwd=tmp_path), "claimcheck.toml")


def test_baseline_nested_deeply_names_the_file(tmp_path, victim):
    baseline = tmp_path / "baseline.json"
    baseline.write_text("[" * 100_000 + "]" * 100_000)
    _one_line_error(run_cli("check", str(victim), "--baseline", str(baseline), "--no-model"), "baseline.json")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("match:\n      all: [[condition.migraine]]", "match.all[0]"),
        ("match:\n      any: [1, 2]", "match.any[0]"),
        ("match:\n      all: [condition.migraine]\n    scope_limits: short_term", "scope_limits"),
        ("match:\n      all: [condition.migraine]\n    counter_examples: [[x]]", "counter_examples[0]"),
    ],
)
def test_evidence_entry_with_a_list_where_a_string_belongs(tmp_path, victim, field, value):
    folder = tmp_path / "evidence"
    folder.mkdir()
    (folder / "mine.yaml").write_text(
        "intervention: dry_needling\nentries:\n  - id: mine.one\n    claim_type: efficacy\n"
        f"    topic: t\n    verdict: mixed\n    certainty: low\n    scope: s\n    {field}\n"
        "    summary: s\n    accepted_wording: w\n    citations: [{ref: r, pmid: '12345678'}]\n"
        "    last_reviewed: 2026-01-01\n    examples: [{text: e, verdict: mixed}]\n",
        encoding="utf-8",
    )
    line = _one_line_error(run_cli("check", str(victim), "--evidence", str(folder), "--no-model"), "mine.yaml")
    assert value in line
