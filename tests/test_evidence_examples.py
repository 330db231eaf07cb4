"""`claimcheck evidence validate` runs the examples of evidence files it is given: each example
must resolve to its entry with the verdict it names, and no counter-example may. Without this,
an entry whose concepts never match the copy passed validation and silently did nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli

SOUND = """\
intervention:
  id: sound_bath
  label: sound bath
  aliases: [sound bath, sound baths, gong bath]
title: Sound bath sessions
entries:
  - id: my.sound.relax
    claim_type: efficacy
    topic: Feeling relaxed after a session
    verdict: supported
    certainty: low
    basis: regulator
    scope: A feeling of relaxation; no condition.
    match: {all: [outcome.relaxation]}
    summary: A sensory claim.
    accepted_wording: A sound bath can help you unwind and relax.
    citations:
      - ref: CAP Advice Online, Health - therapies (general)
        url: https://www.asa.org.uk/advice-online/health-therapies-general.html
    last_reviewed: 2026-06-01
    examples:
      - {text: "Our sound bath helps you relax after work.", verdict: EXAMPLE_VERDICT}
    counter_examples: ["COUNTER_EXAMPLE"]
  - id: my.sound.back
    claim_type: efficacy
    topic: Back pain
    verdict: unsupported
    certainty: very low
    basis: regulator
    scope: None on file.
    match: {any: [condition.low_back_pain, condition.chronic_pain]}
    summary: No trials on file.
    citations:
      - ref: CAP Advice Online, Health - therapies (general)
        url: https://www.asa.org.uk/advice-online/health-therapies-general.html
    last_reviewed: 2026-06-01
    examples:
      - {text: "The gong bath relieves chronic back pain.", verdict: unsupported}
    counter_examples: ["Our sound bath helps you relax after work."]
"""


def _file(folder: Path, verdict: str = "supported", counter: str = "The sound bath cures arthritis.") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "sound.yaml"
    path.write_text(SOUND.replace("EXAMPLE_VERDICT", verdict).replace("COUNTER_EXAMPLE", counter), encoding="utf-8")
    return path


def _lines(out) -> list[str]:
    assert "Traceback" not in out.stderr.decode(), out.stderr.decode()
    return (out.stdout + out.stderr).decode().strip().splitlines()


def test_examples_that_hold_pass_and_are_counted(tmp_path):
    folder = tmp_path / "my-evidence"
    _file(folder)
    out = run_cli("evidence", "validate", str(folder))
    assert _lines(out) == ["1 file(s), 2 entries, 4 example sentence(s) run: 0 error(s), 0 warning(s)"]
    assert out.returncode == 0


def test_an_example_with_the_wrong_verdict_or_a_resolving_counter_example_is_an_error_at_its_line(tmp_path):
    path = _file(tmp_path, verdict="mixed", counter="A sound bath session helps you relax.")
    out = run_cli("evidence", "validate", str(path))
    assert out.returncode == 2
    assert _lines(out) == [
        f"error: {path}:22: my.sound.relax.examples[0]: 'Our sound bath helps you relax after work.' "
        "is judged supported against this entry, not mixed",
        f"error: {path}:23: my.sound.relax.counter_examples[0]: "
        "'A sound bath session helps you relax.' resolves to this entry",
        "1 file(s), 2 entries, 4 example sentence(s) run: 2 error(s), 0 warning(s)",
    ]


def test_an_example_that_meets_another_entry_names_it(tmp_path):
    path = _file(tmp_path)
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            'after work.", verdict: supported}',
            'after work.", verdict: supported}\n'
            '      - {text: "Sound baths ease chronic back pain.", verdict: supported}',
            1,
        ),
        encoding="utf-8",
    )
    lines = _lines(run_cli("evidence", "validate", str(path)))
    assert lines[0].startswith(
        f"error: {path}:23: my.sound.relax.examples[1]: 'Sound baths ease chronic back pain.' "
        "resolves to my.sound.back, not to this entry (concepts found: "
    )
    assert len(lines) == 2 and lines[1].endswith(": 1 error(s), 0 warning(s)")


def test_no_examples_skips_them_and_schema_errors_stop_them(tmp_path):
    path = _file(tmp_path, verdict="mixed")
    out = run_cli("evidence", "validate", "--no-examples", str(path))
    assert _lines(out) == ["1 file(s), 2 entries: 0 error(s), 0 warning(s)"] and out.returncode == 0
    path.write_text(path.read_text(encoding="utf-8").replace("certainty: low", "certainty: somewhat"), encoding="utf-8")
    lines = _lines(run_cli("evidence", "validate", str(path)))
    assert "note: examples not run: fix the errors first" in lines
    assert lines[-1] == "1 file(s), 1 entries: 1 error(s), 0 warning(s)"  # the broken entry is not counted


def test_the_bundled_examples_hold_as_the_command_runs_them():
    out = run_cli("evidence", "validate", "--examples")
    assert out.returncode == 0, out.stdout.decode()
    summary = _lines(out)[-1]
    assert summary.startswith("32 file(s), 300 entries, ") and " example sentence(s) run: 0 error(s), " in summary


def test_check_takes_one_evidence_file_named_directly(tmp_path):
    """`--evidence` takes a file as well as a folder (the file alone, not its neighbours), as
    `evidence validate` does; both load through knowledge.declared.evidence_files."""
    path = _file(tmp_path / "mine")
    (tmp_path / "mine" / "broken.yaml").write_text("entries: [\n", encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text("The gong bath relieves chronic back pain.\n", encoding="utf-8")
    out = run_cli("check", str(page), "--evidence", str(path), "-f", "json", "--fail-on", "never", "--no-cache")
    assert out.returncode == 0, out.stderr.decode()
    assert '"my.sound.back"' in out.stdout.decode()


def test_an_evidence_file_named_directly_travels_to_dask_workers(tmp_path):
    """The Dask client ships extra evidence to its workers by content; a file named directly
    travels as a folder of one (before, it travelled as an empty folder and its entries were lost)."""
    pytest.importorskip("distributed")
    from claimcheck.project.dask_worker import make_settings

    path = _file(tmp_path)
    path = path.rename(tmp_path / "sound.yml")
    assert make_settings(evidence=[path]).evidence == ((str(path), (("sound.yaml", path.read_bytes()),)),)
