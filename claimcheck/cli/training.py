"""``claimcheck train`` and ``claimcheck evaluate``: the claim classifier."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from claimcheck.cli.common import _error, app
from claimcheck.core.fileio import write_atomic


@app.command("train")
def train_command(
    corpus: Annotated[Path | None, typer.Option(help="Corpus folder (default: corpus/docs).")] = None,
    out: Annotated[Path | None, typer.Option(help="Model folder to write (default: models/).")] = None,
) -> None:
    """Train the claim classifier on the corpus's train split (deterministic)."""
    from claimcheck.core.errors import CorpusError, MissingExtra
    from claimcheck.training.train import train_model

    try:
        model, folder = train_model(corpus, out)
    except (CorpusError, MissingExtra) as exc:
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
    evidence: Annotated[
        list[Path] | None,
        typer.Option("--evidence", help="Extra evidence folder (repeatable): its therapies count as inside."),
    ] = None,
) -> None:
    """Precision, recall and F1 on the held-out split, overall and for the therapies inside and
    outside the evidence base; writes models/metrics.json."""
    import json

    from claimcheck.core.errors import CorpusError
    from claimcheck.detect.classifier import ClaimClassifier, ModelError
    from claimcheck.training.train import evaluate_split, models_dir, seeds_scores

    folder = model_dir or models_dir()
    try:
        model = ClaimClassifier.load(folder)
        metrics = evaluate_split(model, split, corpus, evidence)
    except (ModelError, CorpusError) as exc:
        _error(str(exc))
        raise typer.Exit(2) from None
    typer.echo(f"{split} split: {metrics['sentences']} sentences")
    _echo_scores(metrics)
    for group, scores in metrics["by_evidence"].items():
        typer.echo(
            f"{group} the evidence base: {scores['sentences']} sentences, {scores['documents']} documents, "
            f"{len(scores['interventions'])} intervention(s)"
        )
        if scores["sentences"]:
            _echo_scores(scores)
    seeds = seeds_scores(shared or Path.cwd().parent / "shared", folder)
    if seeds:
        metrics["seeds"] = seeds
        for name, score in seeds.items():
            typer.echo(
                f"  seeds, {name:22} recall {score['recall']:.3f}  precision {score['precision']:.3f}  "
                f"type recall {score['type_recall']:.3f}  verdict acc {score['verdict_acc']:.3f}"
            )
    write_atomic(folder / "metrics.json", json.dumps(metrics, indent=2, sort_keys=True) + "\n")
    typer.echo(f"wrote {folder / 'metrics.json'}")


def _echo_scores(scores: dict) -> None:
    rows = {"claim/no-claim": scores["claim_vs_no_claim"], **scores["per_type"]}
    for label, row in rows.items():
        typer.echo(
            f"  {label:15} P {row['precision']:.3f}  R {row['recall']:.3f}  F1 {row['f1']:.3f}  (n={row['support']})"
        )
    typer.echo(f"  macro-F1 over types: {scores['macro_f1_types']:.3f}")
