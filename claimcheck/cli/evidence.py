"""The evidence base's commands: ``explain`` and ``evidence list|validate|show``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from claimcheck.cli.common import _error, _say, app, evidence_app
from claimcheck.cli.text import describe_entry
from claimcheck.core.escape import terminal


def _load_base(evidence: list[Path] | None):
    """The evidence base with these folders, every id checked against the lexicon; a broken
    file is one line and exit 2."""
    from claimcheck.core.yamlio import SchemaError
    from claimcheck.knowledge.declared import lexicon_for
    from claimcheck.knowledge.evidence import EvidenceBase

    try:
        lexicon = lexicon_for(evidence or [])
        return EvidenceBase.load(
            list(evidence or []), known_concepts=set(lexicon.concepts), known_cues=set(lexicon.cues)
        )
    except SchemaError as exc:
        _error(str(exc))
        raise typer.Exit(2) from None


@app.command()
def explain(
    evidence_id: Annotated[str, typer.Argument(help="An evidence id, e.g. dn.pain.neck.short_term.")],
    evidence: Annotated[list[Path] | None, typer.Option("--evidence")] = None,
) -> None:
    """Show an evidence entry: verdict, scope, summary, accepted wording and citations."""
    base = _load_base(evidence)
    entry = base.entries.get(evidence_id)
    if entry is None:
        close = [i for i in sorted(base.entries) if evidence_id.split(".")[0] in i][:5]
        hint = f" (did you mean: {', '.join(close)}?)" if close else ""
        _error(f"no evidence entry {evidence_id!r}{hint}")
        raise typer.Exit(2)
    _say(describe_entry(entry))


@evidence_app.command("list")
def evidence_list(evidence: Annotated[list[Path] | None, typer.Option("--evidence")] = None) -> None:
    """One line per evidence entry: id, type, verdict, certainty, topic."""
    base = _load_base(evidence)
    for entry in sorted(base.entries.values(), key=lambda e: (e.intervention, e.id)):
        _say(f"{entry.id:44} {entry.claim_type:11} {entry.verdict:11} {entry.certainty:9} {entry.topic}")


@evidence_app.command("validate")
def evidence_validate(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Evidence files or folders (default: the bundled base).")
    ] = None,
    examples: Annotated[
        bool | None,
        typer.Option(
            "--examples/--no-examples",
            help="Run each entry's examples and counter-examples through the checker "
            "(default: on for files you name, off for the bundled base, whose tests run them).",
        ),
    ] = None,
) -> None:
    """Validate evidence files: schema (with file:line and key), duplicate ids, citations, staleness.

    With no paths, the bundled base and the bundled wording rules (rules/wording.yaml) are
    checked; a path named wording.yaml is checked as wording rules. Every cue and concept id
    they name must be in the bundled rules, and so must every cue the code reads by name.
    Once the files are valid, each entry's examples must resolve to it with the verdict they
    name, and its counter-examples must not (run with the rules alone)."""
    from claimcheck.core.yamlio import SchemaError
    from claimcheck.judge.required_cues import code_cue_errors
    from claimcheck.knowledge.evidence_audit import validate_paths
    from claimcheck.knowledge.lexicon import bundled_dir, load_lexicon
    from claimcheck.knowledge.wording_rules import WORDING_FILE, load_wording_rules

    targets = list(paths or [bundled_dir("rules") / "evidence", bundled_dir("rules") / WORDING_FILE])
    missing = [p for p in targets if not p.exists()]
    for p in missing:
        _error(f"{p}: no such file or directory")
    lexicon = load_lexicon()
    wording = [p for p in targets if p.name == WORDING_FILE and p.is_file()]
    report = validate_paths(
        [p for p in targets if p.exists() and p not in wording], set(lexicon.concepts), known_cues=set(lexicon.cues)
    )
    report.errors[:0] = code_cue_errors(lexicon)
    for path in wording:
        try:
            load_wording_rules(path, lexicon)
        except SchemaError as exc:
            report.errors.append(exc)
    ran = None
    evidence_paths = [p for p in targets if p.exists() and p not in wording] if paths else []
    if (examples if examples is not None else bool(paths)) and (evidence_paths or not paths):
        if report.errors or missing:
            _say("note: examples not run: fix the errors first")
        else:
            from claimcheck.pipeline.examples import run_examples

            ran, failed = run_examples(evidence_paths)
            report.errors.extend(failed)
    for warning in report.warnings:
        _say(f"warning: {terminal(str(warning))}")
    for error in report.errors:
        _say(f"error: {terminal(str(error))}")
    sentences = "" if ran is None else f", {ran} example sentence(s) run"
    typer.echo(
        f"{report.files} file(s), {report.entries} entries{sentences}: {len(report.errors)} error(s), "
        f"{len(report.warnings)} warning(s)"
    )
    raise typer.Exit(2 if report.errors or missing else 0)


@evidence_app.command("show")
def evidence_show(evidence_id: str, evidence: Annotated[list[Path] | None, typer.Option("--evidence")] = None) -> None:
    """Same as `claimcheck explain ID`."""
    explain(evidence_id, evidence)
