"""One file discovery (claimcheck.ingest.discovery) for the command line, the Python API and Dask.

Called directly on real files in tmp_path: which files a folder stands for, what each kind of
argument becomes, and that the command line's Run and ``Checker.check_paths`` now find the
same files (a folder of .mdx and .text pages used to be refused by the command line).
"""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path

import pytest

from claimcheck.ingest.discovery import CHECKED_SUFFIXES, Kind, discover, read_stdin, walk
from claimcheck.ingest.documents import MAX_BYTES, SUFFIX_FORMATS
from claimcheck.project.runner import Run, RunOptions

PAGE = "Our acupuncture sessions cure chronic back pain in every patient.\n"


def _tree(root: Path) -> Path:
    """A site with one page per checked suffix, plus things a walk must leave out."""
    site = root / "site"
    for name in ("a.txt", "b.text", "c.md", "d.markdown", "e.mdx", "f.html", "g.htm", "sub/h.MD"):
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(PAGE, encoding="utf-8")
    (site / "notes.rst").write_text(PAGE, encoding="utf-8")
    (site / ".hidden").mkdir()
    (site / ".hidden" / "x.md").write_text(PAGE, encoding="utf-8")
    (site / ".draft.md").write_text(PAGE, encoding="utf-8")
    return site


def _names(paths) -> list[str]:
    return [Path(p).name for p in paths]


def test_the_checked_suffixes_are_the_readers_suffixes():
    assert set(CHECKED_SUFFIXES) == set(SUFFIX_FORMATS)
    assert {".mdx", ".text", ".htm", ".markdown"} <= set(CHECKED_SUFFIXES)


def test_a_walk_takes_every_checked_suffix_sorted_and_skips_hidden_names(tmp_path):
    site = _tree(tmp_path)
    found = walk(site)
    assert _names(found) == ["a.txt", "b.text", "c.md", "d.markdown", "e.mdx", "f.html", "g.htm", "h.MD"]
    assert found == sorted(found)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_a_walk_follows_file_links_but_does_not_enter_folder_links(tmp_path):
    site = _tree(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "linked.md").write_text(PAGE, encoding="utf-8")
    (site / "link.md").symlink_to(outside / "linked.md")
    (site / "folder-link").symlink_to(outside, target_is_directory=True)
    (site / "dangling.md").symlink_to(tmp_path / "gone.md")
    names = _names(walk(site))
    assert "link.md" in names
    assert "linked.md" not in names and "dangling.md" not in names


def test_keep_gets_each_file_with_its_resolved_path_and_own_reports_are_left_out(tmp_path):
    site = _tree(tmp_path)
    seen: list[tuple[Path, Path | None]] = []

    def keep(path: Path, resolved: Path | None) -> bool:
        seen.append((path, resolved))
        return path.suffix != ".htm"

    found = walk(site, keep=keep, is_own_report=lambda p: p.name == "a.txt")
    assert "g.htm" not in _names(found) and "a.txt" not in _names(found)
    assert all(resolved == path.resolve() for path, resolved in seen)


def test_each_kind_of_argument(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    site = _tree(tmp_path)
    (tmp_path / "empty").mkdir()
    (tmp_path / "crawl.jsonl").write_text(
        json.dumps({"id": "p1", "url": "https://example.org/1", "text": PAGE}) + "\n" + json.dumps({"id": 2}) + "\n",
        encoding="utf-8",
    )
    (tmp_path / "list.txt").write_text(f"# pages\n{site / 'c.md'}\n\n-\nhttps://example.org/x\n", encoding="utf-8")
    opened: list[str] = []
    found = list(
        discover(
            ["-", "https://example.org/", "missing.md", "empty", "@list.txt", "crawl.jsonl", "site/notes.rst"],
            on_open=opened.append,
        )
    )
    kinds = [(f.kind, f.path) for f in found]
    assert kinds == [
        (Kind.STDIN, "-"),
        (Kind.URL, "https://example.org/"),
        (Kind.ERROR, "missing.md"),
        (Kind.ERROR, "empty"),
        (Kind.FILE, str(site / "c.md")),
        (Kind.ERROR, "-"),  # in a list, "-" is a path like any other, not standard input
        (Kind.URL, "https://example.org/x"),
        (Kind.RECORD, "p1"),
        (Kind.RECORD, "2"),
        (Kind.FILE, "site/notes.rst"),  # named directly: checked whatever its suffix
    ]
    assert found[2].error == "missing.md: no such file or directory"
    assert found[3].error == f"empty: no files to check here ({', '.join(sorted(CHECKED_SUFFIXES))})"
    assert found[7].record.url == "https://example.org/1" and found[7].where == Path("crawl.jsonl")
    assert found[8].record.error  # a bad record is an input of its own, with its error
    assert opened == ["list.txt", "crawl.jsonl"]


def test_a_named_report_of_ours_is_skipped_not_checked(tmp_path):
    page, report = tmp_path / "page.md", tmp_path / "report.jsonl"
    page.write_text(PAGE, encoding="utf-8")
    report.write_text("{}\n", encoding="utf-8")
    found = list(discover([str(page), str(report)], is_own_report=lambda p: p.name.startswith("report")))
    assert [(f.kind, f.path) for f in found] == [(Kind.FILE, str(page)), (Kind.SKIPPED, str(report))]


def test_a_list_that_cannot_be_read_is_one_error_after_what_it_gave(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "list.txt").write_bytes(b"one.md\n\xff\n")
    (tmp_path / "one.md").write_text(PAGE, encoding="utf-8")
    found = list(discover(["@list.txt"]))
    assert found[0].kind is Kind.FILE and found[0].path == "one.md"  # relative to the working directory
    assert found[1].kind is Kind.ERROR and found[1].error.endswith("list.txt:2: invalid UTF-8 at byte 0")


def test_standard_input_is_capped(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"x" * (MAX_BYTES + 1))))
    result = read_stdin()
    assert not isinstance(result, bytes) and "input too large" in (result.error or "")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(PAGE.encode())))
    assert read_stdin() == PAGE.encode()


def test_the_command_line_and_the_api_find_the_same_files(tmp_path, monkeypatch, rules_checker):
    """The command line's Run used to refuse a folder of .mdx/.text pages (exit 2) that
    ``Checker.check_paths`` checked; both now read the folder the same way."""
    monkeypatch.chdir(tmp_path)
    site = _tree(tmp_path)
    mdx = tmp_path / "mdx"
    mdx.mkdir()
    (mdx / "page.mdx").write_text(PAGE, encoding="utf-8")
    (mdx / "page.text").write_text(PAGE, encoding="utf-8")
    for folder in ("site", "mdx"):
        cli = [item.path for item in Run(RunOptions()).inputs([folder])]
        api = [result.path for result in rules_checker.check_paths([folder]).files]
        assert cli == api == [str(p) for p in walk(Path(folder))]
    report = rules_checker.check_paths(["mdx"])
    assert not report.errors and all(r.fmt for r in report.files)
    assert {r.fmt for r in report.files} == {"markdown", "text"}
    assert len(list(walk(site))) == 8


def test_the_api_reads_lists_crawl_records_and_standard_input(tmp_path, monkeypatch, rules_checker):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "page.md").write_text(PAGE, encoding="utf-8")
    (tmp_path / "list.txt").write_text("page.md\n", encoding="utf-8")
    record = {"id": "home", "url": "https://example.org/", "format": "markdown", "text": PAGE}
    (tmp_path / "crawl.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(PAGE.encode())))
    report = rules_checker.check_paths(["@list.txt", "crawl.jsonl", "-", "nowhere.md"])
    assert [r.path for r in report.files] == ["page.md", "home", "<stdin>", "nowhere.md"]
    assert report.files[1].url == "https://example.org/"
    assert report.files[3].error == "nowhere.md: no such file or directory"
    by_path = {r.path: r for r in report.files}
    claims = [[f.claim.text for f in by_path[p].findings] for p in ("page.md", "home", "<stdin>")]
    assert claims[0] and claims[0] == claims[1] == claims[2]


def test_the_api_and_dask_leave_out_reports_claimcheck_wrote(tmp_path, monkeypatch, rules_checker):
    """A report saved beside the pages (named, or found in the folder) is not a page: the
    command line skipped it; the API and the Dask client used to check it as one."""
    from claimcheck.project.distributed import _api_items
    from claimcheck.report import render

    monkeypatch.chdir(tmp_path)
    site = tmp_path / "site"
    site.mkdir()
    (site / "page.md").write_text(PAGE, encoding="utf-8")
    report = rules_checker.check_paths(["site"])
    for fmt, name in (("markdown", "report.md"), ("html", "report.html"), ("text", "report.txt")):
        (site / name).write_text(render(report, fmt), encoding="utf-8")
    (tmp_path / "findings.jsonl").write_text(render(report, "jsonl"), encoding="utf-8")
    inputs = ["site", "site/report.md", "findings.jsonl"]
    cli = [item.path for item in Run(RunOptions()).inputs(inputs)]
    api = [result.path for result in rules_checker.check_paths(inputs).files]
    dask = [item.path for settings, item in _api_items(inputs, settings=object())]
    assert cli == api == dask == [str(Path("site") / "page.md")]
