"""--diff-base: changed files and new-file line numbers from a real temporary git repository."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from claimcheck.project.gitdiff import GitError, changed_files, changed_lines, parse_hunks, resolve_base

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(repo: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.test",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.test",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    done = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "a.md").write_text("one\ntwo\nthree\nfour\nfive\n")
    (tmp_path / "content" / "b.md").write_text("bee\n")
    (tmp_path / "gone.md").write_text("to delete\n")
    (tmp_path / "old name.md").write_text("a page with a long enough body to be detected as a rename\n")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "base")
    git(tmp_path, "tag", "base")
    return tmp_path


def test_changed_files_and_lines(repo):
    (repo / "content" / "a.md").write_text("one\nTWO\nthree\ninserted\nfour\nfive\n")
    (repo / "new.md").write_text("brand new\nsecond\n")
    (repo / "gone.md").unlink()
    git(repo, "mv", "old name.md", "new name.md")
    git(repo, "add", "new.md", "gone.md")
    git(repo, "commit", "-q", "-m", "edit")
    (repo / "content" / "b.md").write_text("bee\nuncommitted edit\n")  # working tree counts
    (repo / "untracked.md").write_text("not added\n")  # untracked does not

    files = changed_files("base", repo)
    assert files == sorted(
        [repo / "content" / "a.md", repo / "content" / "b.md", repo / "new.md", repo / "new name.md"]
    )
    assert all(p.is_absolute() for p in files)
    assert changed_lines("base", Path("content/a.md"), repo) == {2, 4}
    assert changed_lines("base", repo / "new.md", repo) == {1, 2}
    assert changed_lines("base", repo / "content" / "b.md", repo) == {2}
    assert changed_lines("base", repo / "untracked.md", repo) == set()


def test_names_are_repository_relative_from_a_subfolder(repo):
    (repo / "new.md").write_text("x\n")
    git(repo, "add", "new.md")
    assert changed_files("base", repo / "content") == [repo / "new.md"]
    (repo / "content" / "a.md").write_text("one\n")
    assert changed_lines("base", Path("a.md"), repo / "content") == set()  # only deletions: no new lines
    (repo / "content" / "a.md").write_text("ONE\n")
    assert changed_lines("base", Path("a.md"), repo / "content") == {1}


def test_merge_base_ignores_commits_only_on_the_base_branch(repo):
    git(repo, "checkout", "-q", "-b", "feature")
    (repo / "content" / "b.md").write_text("bee\nfeature line\n")
    git(repo, "commit", "-q", "-am", "feature")
    git(repo, "checkout", "-q", "main")
    (repo / "content" / "a.md").write_text("changed on main\n")
    git(repo, "commit", "-q", "-am", "main moves on")
    git(repo, "checkout", "-q", "feature")
    assert changed_files("main", repo) == [repo / "content" / "b.md"]
    assert resolve_base("main", repo) == git(repo, "rev-parse", "base")


def test_parse_hunks():
    diff = "@@ -1 +1 @@\n-a\n+b\n@@ -5,0 +6,3 @@\n+x\n+y\n+z\n@@ -9,2 +11,0 @@\n-p\n-q\n"
    assert parse_hunks(diff) == {1, 6, 7, 8}


def test_errors_are_one_line(repo, tmp_path_factory):
    outside = tmp_path_factory.mktemp("not-a-repo")
    with pytest.raises(GitError, match="not a git repository"):
        changed_files("HEAD", outside)
    with pytest.raises(GitError) as info:
        changed_files("no-such-branch", repo)
    assert str(info.value).startswith("no-such-branch: unknown git revision") and "\n" not in str(info.value)
    with pytest.raises(GitError, match="not a git revision"):
        changed_files("--output=/tmp/x", repo)
    with pytest.raises(GitError, match="no such folder"):
        changed_files("HEAD", repo / "missing")
