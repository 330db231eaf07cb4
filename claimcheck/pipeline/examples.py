"""Running the example sentences an evidence entry carries, as `evidence validate` does.

An entry's ``examples`` must each be read as a claim that resolves to the entry with the
verdict they name, and its ``counter_examples`` must not resolve to it. The project's tests
run the bundled entries' examples; this module runs those of any evidence folder, so an
author of custom evidence learns that an entry would never fire (its concepts are not the
ones the copy names) before a page is checked against it. Examples are run with the rules
alone: the classifier decides which sentences are claims, never which entry a claim meets.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from claimcheck.core.yamlio import SchemaError
from claimcheck.knowledge.declared import evidence_files
from claimcheck.knowledge.evidence import EvidenceEntry
from claimcheck.pipeline.checker import Checker


def example_errors(checker: Checker, entries: Iterable[EvidenceEntry]) -> list[SchemaError]:
    """One error per example that does not hold, at the example's own line."""
    errors: list[SchemaError] = []
    for entry in entries:
        for i, example in enumerate(entry.examples):
            problem = _example_problem(checker, entry, example.text, example.verdict)
            if problem:
                key = f"{entry.id}.examples[{i}]"
                errors.append(SchemaError(entry.source, example.line or entry.line, key, problem))
        for i, text in enumerate(entry.counter_examples):
            ids = {eid for f in checker.check_text(text, "example.txt").findings for eid in f.evidence_ids}
            if entry.id in ids:
                line = entry.counter_example_lines[i] if i < len(entry.counter_example_lines) else 0
                key = f"{entry.id}.counter_examples[{i}]"
                errors.append(SchemaError(entry.source, line or entry.line, key, f"{text!r} resolves to this entry"))
    return errors


def _example_problem(checker: Checker, entry: EvidenceEntry, text: str, verdict: str) -> str | None:
    """What is wrong with one example, or None when it resolves to the entry with its verdict."""
    findings = checker.check_text(text, "example.txt").findings
    judged = {m.verdict for f in findings for m in f.matched if m.id == entry.id}
    if verdict in judged:
        return None
    if judged:
        return f"{text!r} is judged {' or '.join(sorted(judged))} against this entry, not {verdict}"
    if not findings:
        return f"{text!r} is not read as a claim (no finding)"
    met = sorted({eid for f in findings for eid in f.evidence_ids})
    concepts = sorted({c for f in findings for c in f.claim.concepts})
    if met:
        return f"{text!r} resolves to {', '.join(met)}, not to this entry (concepts found: {', '.join(concepts)})"
    return f"{text!r} meets no evidence entry (concepts found: {', '.join(concepts) or 'none'})"


def run_examples(paths: Sequence[Path] = ()) -> tuple[int, list[SchemaError]]:
    """Run the examples of the evidence in these files and folders (none: the bundled base),
    loaded beside the bundled evidence as ``check --evidence`` loads them. Returns how many
    sentences ran and the errors. The files must be valid."""
    checker = Checker(evidence_dirs=paths, use_model=False)
    wanted = {str(f) for f in evidence_files(paths)}
    entries = sorted(
        (e for e in checker.evidence.entries.values() if not paths or e.source in wanted),
        key=lambda e: (e.source, e.line),
    )
    ran = sum(len(e.examples) + len(e.counter_examples) for e in entries)
    return ran, example_errors(checker, entries)
