"""The pre-commit hook, run by pre-commit itself against a temporary git repository.

pre-commit clones this repository at HEAD, builds the hook's own virtual environment
(pip install of claimcheck and its dependencies, from pip's cache when warm) and runs the
hook on the staged Markdown, HTML and text files -- exactly what a user's commit does.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO

pytestmark = pytest.mark.slow

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.org",
}


def _pre_commit() -> list[str]:
    exe = Path(sys.executable).with_name("pre-commit")
    if not exe.exists():
        pytest.skip("pre-commit is not installed (pip install '.[test]')")
    return [str(exe)]


def _git(cwd: Path, *args: str) -> str:
    out = subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, env={**os.environ, **GIT_ENV}, check=True
    )
    return out.stdout.strip()


def test_hook_definition_is_what_pre_commit_needs():
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "claimcheck" and hook["require_serial"] is True
    assert set(hook["types_or"]) == {"markdown", "html", "plain-text"}


def test_pre_commit_runs_the_hook_on_a_temporary_repository(tmp_path):
    if not (REPO / ".git").exists():
        pytest.skip("not a git checkout: pre-commit needs a revision of this repository to clone")
    rev = _git(REPO, "rev-parse", "HEAD")
    site = tmp_path / "site"
    site.mkdir()
    _git(site, "init", "-q", "-b", "main")
    (site / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {REPO}\n    rev: {rev}\n    hooks:\n      - id: claimcheck\n", encoding="utf-8"
    )
    (site / "cupping.md").write_text("# Cupping\n\nCupping therapy cures arthritis for good.\n", encoding="utf-8")
    (site / "hours.md").write_text("# Opening hours\n\nWe open at nine on weekdays.\n", encoding="utf-8")
    (site / "notes.py").write_text("# Cupping therapy cures arthritis for good.\n", encoding="utf-8")
    _git(site, "add", ".")
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "NO_COLOR": "1"}
    env.pop("VIRTUAL_ENV", None)

    failing = subprocess.run(
        [*_pre_commit(), "run", "--all-files"], cwd=site, capture_output=True, text=True, env=env, timeout=900
    )
    output = failing.stdout + failing.stderr
    assert failing.returncode == 1, output
    assert re.search(r"cupping\.md:3:1: CC1\d\d \[unsupported\]", output), output
    assert "notes.py" not in output  # only Markdown, HTML and text files reach the hook

    booking = "# Cupping\n\nA cupping session lasts about thirty minutes and costs forty pounds.\n"
    (site / "cupping.md").write_text(booking, encoding="utf-8")
    _git(site, "add", ".")
    passing = subprocess.run(
        [*_pre_commit(), "run", "--all-files"], cwd=site, capture_output=True, text=True, env=env, timeout=900
    )
    assert passing.returncode == 0, passing.stdout + passing.stderr
    shutil.rmtree(tmp_path / "pre-commit-home", ignore_errors=True)
