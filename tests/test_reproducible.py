"""The same copy gives the same report, byte for byte, whatever the process's hash seed.

Python salts string hashes per process, so any set iterated on the way to a report would
reorder words in reasons from one run to the next (a reviewer's diff, a baseline or a CI
cache would all see changes that are not there).
"""

from __future__ import annotations

from conftest import run_cli

COPY = (
    "# Cupping at our studio\n\n"
    "Lots of clients tell us a session helps with tension headaches and restless nights.\n"
    "Our float sessions are good for stress and support recovery after hard training.\n"
)


def test_reports_do_not_depend_on_the_hash_seed(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(COPY, encoding="utf-8")
    outputs = set()
    for seed in ("1", "2", "3", "4"):
        out = run_cli(
            "check", str(page), "--format", "full", "--fail-on", "never", "--no-cache", env={"PYTHONHASHSEED": seed}
        )
        assert out.returncode == 0, out.stderr
        assert b"helps with" in out.stdout
        outputs.add(out.stdout)
    assert len(outputs) == 1
