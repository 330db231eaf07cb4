"""What changed since a git ref: files, and lines within them (for --diff-base REF).

Why: annotations on lines a pull request did not touch clutter reviews (vale-action #21),
and linting a whole site to filter afterwards is slow (#82). We ask git for the files
changed since REF -- added, copied, modified or renamed; deleted files have nothing to
check -- and, per file, the new-file line numbers of its hunks.

"Since REF" means since the merge base of REF and HEAD, the way a pull request's diff is
shown: commits that landed on REF after the branch was cut are not "changes" of the
branch. Uncommitted edits in the working tree count; untracked files do not.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@", re.M)


class GitError(Exception):
    """git is missing, the folder is not a repository, or the ref is unknown (one line)."""


def _git(args: list[str], cwd: Path) -> str:
    if not Path(cwd).is_dir():
        raise GitError(f"{cwd}: no such folder")
    env = {**os.environ, "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0"}
    try:
        done = subprocess.run(
            ["git", "-c", "core.quotepath=off", *args],
            cwd=str(cwd),
            capture_output=True,
            env=env,
            timeout=120,
        )
    except FileNotFoundError:
        raise GitError("git: not found (install git to use --diff-base)") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]}: timed out") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {args[0]}: {message[0] if message else f'exit {done.returncode}'}")
    return done.stdout.decode("utf-8", "surrogateescape")


def toplevel(cwd: Path) -> Path:
    """The repository's root folder; GitError when cwd is not inside a repository."""
    if not Path(cwd).is_dir():
        raise GitError(f"{cwd}: no such folder")
    try:
        return Path(_git(["rev-parse", "--show-toplevel"], cwd).strip())
    except GitError as exc:
        if str(exc).startswith("git: not found"):
            raise
        raise GitError(f"{cwd}: not a git repository (--diff-base needs one)") from None


def resolve_base(ref: str, cwd: Path) -> str:
    """The commit to diff against: the merge base of REF and HEAD (REF itself when none)."""
    if not ref or ref.startswith("-"):
        raise GitError(f"{ref!r}: not a git revision")
    toplevel(cwd)
    try:
        commit = _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], cwd).strip()
    except GitError:
        raise GitError(f"{ref}: unknown git revision (is it fetched? try fetch-depth: 0 in CI)") from None
    try:
        return _git(["merge-base", commit, "HEAD"], cwd).strip() or commit
    except GitError:  # no common history, or no HEAD yet
        return commit


def changed_files(ref: str, cwd: Path) -> list[Path]:
    """Absolute paths of files added, copied, modified or renamed since REF (sorted)."""
    base = resolve_base(ref, cwd)
    top = toplevel(cwd)
    # Run at the top level so names are repository-relative whatever diff.relative says.
    out = _git(["diff", "--name-only", "-z", "--no-ext-diff", "--diff-filter=ACMR", base, "--"], top)
    return sorted(top / name for name in out.split("\0") if name)


def parse_hunks(diff: str) -> set[int]:
    """New-file line numbers covered by the hunks of a `git diff -U0` output."""
    lines: set[int] = set()
    for m in _HUNK.finditer(diff):
        start, count = int(m.group(1)), int(m.group(2) or "1")
        lines.update(range(start, start + count))  # count 0: a pure deletion, no new lines
    return lines


def changed_lines(ref: str, path: Path, cwd: Path) -> set[int]:
    """1-based lines of path (as it is now) that were added or changed since REF."""
    base = resolve_base(ref, cwd)
    out = _git(["diff", "-U0", "--no-color", "--no-ext-diff", "--no-textconv", base, "--", str(path)], cwd)
    return parse_hunks(out)
