"""Command line: a thin Typer layer over :class:`claimcheck.pipeline.Checker`.

Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 usage or input
error (bad file, broken evidence YAML). Errors are one line on standard error.
"""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from claimcheck import __version__
from claimcheck.fileio import write_atomic

app = typer.Typer(
    name="claimcheck",
    help="Lint health claims in marketing copy against an evidence base.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
evidence_app = typer.Typer(
    help="List, show and validate the evidence base.", no_args_is_help=True, rich_markup_mode=None
)
app.add_typer(evidence_app, name="evidence")


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


class FailOn(StrEnum):
    unsupported = "unsupported"
    mixed = "mixed"
    any = "any"
    never = "never"


FAIL_LEVEL = {"unsupported": 2, "mixed": 1, "any": 0, "never": 99}


def _error(message: str) -> None:
    typer.echo(f"claimcheck: error: {message}", err=True)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"claimcheck {__version__}")
        raise typer.Exit(0)


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """claimcheck finds health claims and weighs each against cited evidence."""


def _checker(evidence: list[Path] | None, **options):
    from claimcheck.classifier import ModelError
    from claimcheck.pipeline import Checker
    from claimcheck.yamlio import SchemaError

    try:
        return Checker(evidence_dirs=evidence or [], **options)
    except (SchemaError, ModelError) as exc:
        _error(str(exc))
        raise typer.Exit(2) from None


@app.command()
def check(
    paths: Annotated[list[str], typer.Argument(help="Files or folders (.txt, .md, .html), or - for stdin.")],
    output_format: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = OutputFormat.text,
    fail_on: Annotated[
        FailOn, typer.Option(help="Exit 1 when a finding is at or above this verdict.")
    ] = FailOn.unsupported,
    evidence: Annotated[
        list[Path] | None, typer.Option("--evidence", help="Extra evidence folder (repeatable); its entries win by id.")
    ] = None,
    stdin_format: Annotated[str, typer.Option(help="Format of standard input: text, markdown or html.")] = "text",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report to this file (atomically).")
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Text format: show suggestions.")] = False,
    min_confidence: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="Drop findings whose claim confidence is below this.")
    ] = 0.0,
    model: Annotated[
        bool, typer.Option("--model/--no-model", help="Use the trained claim classifier as well as the rules.")
    ] = True,
    model_dir: Annotated[
        Path | None, typer.Option(help="Folder of a trained model (default: the shipped one).")
    ] = None,
) -> None:
    """Check files for health claims and report a verdict for each."""
    from claimcheck.pipeline import Report, worst
    from claimcheck.report import render

    if stdin_format not in ("text", "markdown", "html"):
        _error(f"--stdin-format: {stdin_format!r} is not one of text, markdown, html")
        raise typer.Exit(2)
    checker = _checker(evidence, min_confidence=min_confidence, use_model=None if model else False, model_dir=model_dir)
    report = Report()
    file_paths = [p for p in paths if p != "-"]
    if "-" in paths:
        report.files.append(checker.check_bytes(sys.stdin.buffer.read(), "<stdin>", stdin_format))
    report.files.extend(checker.check_paths(file_paths).files if file_paths else [])
    text = (
        render(report, output_format.value, verbose=verbose)
        if output_format == OutputFormat.text
        else render(report, output_format.value)
    )
    for result in report.errors:
        _error(result.error or "")
    if output:
        try:
            write_atomic(output, text)
        except OSError as exc:
            _error(f"{output}: cannot write ({exc.strerror or exc})")
            raise typer.Exit(2) from None
    else:
        sys.stdout.write(text)
    if report.errors:
        raise typer.Exit(2)
    raise typer.Exit(1 if worst(report.findings) >= FAIL_LEVEL[fail_on.value] else 0)


@app.command()
def explain(
    evidence_id: Annotated[str, typer.Argument(help="An evidence id, e.g. dn.pain.neck.short_term.")],
    evidence: Annotated[list[Path] | None, typer.Option("--evidence")] = None,
) -> None:
    """Show an evidence entry: verdict, scope, summary, accepted wording and citations."""
    from claimcheck.evidence import EvidenceBase
    from claimcheck.rules import load_lexicon
    from claimcheck.yamlio import SchemaError

    try:
        lexicon = load_lexicon()
        base = EvidenceBase.load(list(evidence or []), known_concepts=set(lexicon.concepts))
    except SchemaError as exc:
        _error(str(exc))
        raise typer.Exit(2) from None
    entry = base.entries.get(evidence_id)
    if entry is None:
        close = [i for i in sorted(base.entries) if evidence_id.split(".")[0] in i][:5]
        hint = f" (did you mean: {', '.join(close)}?)" if close else ""
        _error(f"no evidence entry {evidence_id!r}{hint}")
        raise typer.Exit(2)
    typer.echo(describe_entry(entry))


def describe_entry(entry) -> str:
    lines = [
        f"{entry.id}: {entry.topic}",
        f"  intervention: {entry.intervention}    claim type: {entry.claim_type}",
        f"  verdict: {entry.verdict}    certainty: {entry.certainty}    basis: {entry.basis}",
        f"  scope: {entry.scope}",
        f"  summary: {entry.summary}",
        f"  accepted wording: {entry.accepted_wording}",
        f"  last reviewed: {entry.last_reviewed.isoformat()}",
        "  citations:",
    ]
    for cit in entry.citations:
        design = f" [{cit.design}]" if cit.design else ""
        lines.append(f"    - {cit.ref}{design}")
        if cit.pmid:
            lines.append(f"      https://pubmed.ncbi.nlm.nih.gov/{cit.pmid}/")
        if cit.doi:
            lines.append(f"      https://doi.org/{cit.doi}")
        if cit.url and not (cit.pmid or cit.doi):
            lines.append(f"      {cit.url}")
    lines.append(f"  source: {entry.source}:{entry.line}")
    return "\n".join(lines)


@evidence_app.command("list")
def evidence_list(evidence: Annotated[list[Path] | None, typer.Option("--evidence")] = None) -> None:
    """One line per evidence entry: id, type, verdict, certainty, topic."""
    from claimcheck.evidence import EvidenceBase
    from claimcheck.rules import load_lexicon
    from claimcheck.yamlio import SchemaError

    try:
        base = EvidenceBase.load(list(evidence or []), known_concepts=set(load_lexicon().concepts))
    except SchemaError as exc:
        _error(str(exc))
        raise typer.Exit(2) from None
    for entry in sorted(base.entries.values(), key=lambda e: (e.intervention, e.id)):
        typer.echo(f"{entry.id:44} {entry.claim_type:11} {entry.verdict:11} {entry.certainty:9} {entry.topic}")


@evidence_app.command("validate")
def evidence_validate(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Evidence files or folders (default: the bundled base).")
    ] = None,
) -> None:
    """Validate evidence files: schema (with file:line and key), duplicate ids, citations, staleness."""
    from claimcheck.evidence import validate_paths
    from claimcheck.rules import bundled_dir, load_lexicon

    targets = list(paths or [bundled_dir("rules") / "evidence"])
    missing = [p for p in targets if not p.exists()]
    for p in missing:
        _error(f"{p}: no such file or directory")
    report = validate_paths([p for p in targets if p.exists()], set(load_lexicon().concepts))
    for warning in report.warnings:
        typer.echo(f"warning: {warning}")
    for error in report.errors:
        typer.echo(f"error: {error}")
    typer.echo(
        f"{report.files} file(s), {report.entries} entries: {len(report.errors)} error(s), "
        f"{len(report.warnings)} warning(s)"
    )
    raise typer.Exit(2 if report.errors or missing else 0)


@evidence_app.command("show")
def evidence_show(evidence_id: str, evidence: Annotated[list[Path] | None, typer.Option("--evidence")] = None) -> None:
    """Same as `claimcheck explain ID`."""
    explain(evidence_id, evidence)


@app.command("train")
def train_command(
    corpus: Annotated[Path | None, typer.Option(help="Corpus folder (default: corpus/docs).")] = None,
    out: Annotated[Path | None, typer.Option(help="Model folder to write (default: models/).")] = None,
) -> None:
    """Train the claim classifier on the corpus's train split (deterministic)."""
    from claimcheck.corpus import CorpusError
    from claimcheck.training import train_model

    try:
        model, folder = train_model(corpus, out)
    except CorpusError as exc:
        _error(str(exc))
        raise typer.Exit(2) from None
    typer.echo(
        f"trained on {model.meta['train_sentences']} sentences; wrote {folder}/model.json, "
        f"weights.npz, manifest.json (corpus sha256 {model.meta['corpus_sha256'][:12]})"
    )


@app.command()
def evaluate(
    corpus: Annotated[Path | None, typer.Option(help="Corpus folder (default: corpus/docs).")] = None,
    model_dir: Annotated[Path | None, typer.Option(help="Model folder (default: models/).")] = None,
    shared: Annotated[
        Path | None, typer.Option(help="Folder with acceptance/ and seeds/ (default: ../shared).")
    ] = None,
    split: Annotated[str, typer.Option(help="Corpus split to evaluate on.")] = "test",
) -> None:
    """Precision, recall and F1 on the held-out split; writes models/metrics.json."""
    import json

    from claimcheck.classifier import ClaimClassifier, ModelError
    from claimcheck.corpus import CorpusError
    from claimcheck.training import evaluate_split, models_dir, seeds_scores

    folder = model_dir or models_dir()
    try:
        model = ClaimClassifier.load(folder)
        metrics = evaluate_split(model, split, corpus)
    except (ModelError, CorpusError) as exc:
        _error(str(exc))
        raise typer.Exit(2) from None
    typer.echo(f"{split} split: {metrics['sentences']} sentences")
    row = metrics["claim_vs_no_claim"]
    typer.echo(f"  {'claim/no-claim':15} P {row['precision']:.3f}  R {row['recall']:.3f}  F1 {row['f1']:.3f}")
    for label, row in metrics["per_type"].items():
        typer.echo(
            f"  {label:15} P {row['precision']:.3f}  R {row['recall']:.3f}  F1 {row['f1']:.3f}  (n={row['support']})"
        )
    typer.echo(f"  macro-F1 over types: {metrics['macro_f1_types']:.3f}")
    seeds = seeds_scores(shared or Path.cwd().parent / "shared")
    if seeds:
        metrics["seeds"] = seeds
        for name, score in seeds.items():
            typer.echo(
                f"  seeds, {name:22} recall {score['recall']:.3f}  precision {score['precision']:.3f}  "
                f"type recall {score['type_recall']:.3f}  verdict acc {score['verdict_acc']:.3f}"
            )
    write_atomic(folder / "metrics.json", json.dumps(metrics, indent=2, sort_keys=True) + "\n")
    typer.echo(f"wrote {folder / 'metrics.json'}")


def main() -> None:
    """Entry point: run the app. Ctrl-C exits 130; a data error or an unexpected failure is
    one line on standard error and exit 2, never a traceback (CLAIMCHECK_DEBUG=1 shows it)."""
    from claimcheck.classifier import ModelError
    from claimcheck.corpus import CorpusError
    from claimcheck.yamlio import SchemaError

    try:
        app(standalone_mode=True)
    except KeyboardInterrupt:
        typer.echo("claimcheck: interrupted", err=True)
        sys.exit(130)
    except (SchemaError, ModelError, CorpusError) as exc:
        _error(str(exc))
        sys.exit(2)
    except Exception as exc:
        if os.environ.get("CLAIMCHECK_DEBUG"):
            raise
        _error(f"internal error: {type(exc).__name__}: {exc} (set CLAIMCHECK_DEBUG=1 for details)")
        sys.exit(2)


if __name__ == "__main__":
    main()
