"""Command line: a thin Typer layer over :class:`claimcheck.pipeline.checker.Checker`.

Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 usage or input
error (bad file, broken evidence YAML). Errors are one line on standard error.
"""

from __future__ import annotations

import functools
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from claimcheck import __version__
from claimcheck.cli.text import ProgressBar, describe_entry
from claimcheck.core.escape import terminal, terminal_lines
from claimcheck.core.fileio import FileRefused, write_atomic, write_target
from claimcheck.report import FORMATS, MACHINE_FORMATS

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
baseline_app = typer.Typer(
    help="Accept today's findings so that only new ones are reported.", no_args_is_help=True, rich_markup_mode=None
)
app.add_typer(baseline_app, name="baseline")


OutputFormat = StrEnum("OutputFormat", {name: name for name in FORMATS})


class FailOn(StrEnum):
    unsupported = "unsupported"
    mixed = "mixed"
    any = "any"
    never = "never"


FAIL_LEVEL = {"unsupported": 2, "mixed": 1, "any": 0, "never": 99}


class MinVerdict(StrEnum):
    supported = "supported"
    mixed = "mixed"
    unsupported = "unsupported"


def _error(message: str) -> None:
    """One line on standard error; control characters in it (from file names, page copy,
    HTTP reason phrases) are shown escaped, so it stays one line and acts on no terminal."""
    typer.echo(f"claimcheck: error: {terminal(message)}", err=True)


def _say(text: str) -> None:
    """Lines on standard output that may quote files or evidence, escaped like _error."""
    typer.echo(terminal_lines(text))


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
    from claimcheck.core.errors import ModelError
    from claimcheck.core.yamlio import SchemaError
    from claimcheck.pipeline.checker import Checker

    try:
        return Checker(evidence_dirs=evidence or [], **options)
    except (SchemaError, ModelError) as exc:
        _error(str(exc))
        raise typer.Exit(2) from None


PROGRESS_MIN_FILES = 5  # fewer files finish before a bar would be worth drawing


@app.command()
def check(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Files or folders (.txt, .md, .html), URLs (https://...), - for stdin, @FILE for a list of "
            "inputs (one a line), or .jsonl crawl records."
        ),
    ],
    output_format: Annotated[
        OutputFormat | None,
        typer.Option("--format", "-f", help="Output format (default: full on a terminal, text otherwise)."),
    ] = None,
    fail_on: Annotated[
        FailOn | None, typer.Option(help="Exit 1 when a finding is at or above this verdict [default: unsupported].")
    ] = None,
    evidence: Annotated[
        list[Path] | None, typer.Option("--evidence", help="Extra evidence folder (repeatable); its entries win by id.")
    ] = None,
    select: Annotated[
        list[str] | None, typer.Option("--select", help="Rule codes or prefixes to report (repeatable), e.g. CC1.")
    ] = None,
    ignore: Annotated[
        list[str] | None, typer.Option("--ignore", help="Rule codes or prefixes not to report (repeatable).")
    ] = None,
    config: Annotated[
        Path | None, typer.Option("--config", help="Use this claimcheck.toml or pyproject.toml for every file.")
    ] = None,
    stdin_format: Annotated[str, typer.Option(help="Format of standard input: text, markdown or html.")] = "text",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report to this file (atomically).")
    ] = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Text format: every reason in full and the suggestion.")
    ] = False,
    min_verdict: Annotated[
        MinVerdict | None,
        typer.Option(
            help="List findings at or above this verdict; json and html list every finding "
            "[default: mixed, so supported claims are left out]."
        ),
    ] = None,
    min_confidence: Annotated[
        float | None, typer.Option(min=0.0, max=1.0, help="Drop findings whose claim confidence is below this.")
    ] = None,
    model: Annotated[
        bool, typer.Option("--model/--no-model", help="Use the trained claim classifier as well as the rules.")
    ] = True,
    model_dir: Annotated[
        Path | None, typer.Option(help="Folder of a trained model (default: the shipped one).")
    ] = None,
    jobs: Annotated[
        int,
        typer.Option("--jobs", "-j", min=0, help="Check files in this many processes; 0: one per core for large runs."),
    ] = 0,
    cache: Annotated[
        bool, typer.Option("--cache/--no-cache", help="Reuse results for unchanged files (.claimcheck_cache/).")
    ] = True,
    cache_dir: Annotated[Path, typer.Option(help="Cache folder.")] = Path(".claimcheck_cache"),
    diff_base: Annotated[
        str | None, typer.Option(help="Only files changed since this git ref, and only findings on changed lines.")
    ] = None,
    baseline: Annotated[
        Path | None, typer.Option(help="Report only findings not in this baseline file (claimcheck baseline write).")
    ] = None,
    progress: Annotated[
        bool, typer.Option("--progress/--no-progress", help="Progress bar on a terminal's standard error.")
    ] = True,
    url_timeout: Annotated[
        float, typer.Option(min=0.1, max=600.0, help="Seconds to wait for a URL before giving up on it.")
    ] = 10.0,
    allow_private_redirects: Annotated[
        bool,
        typer.Option(
            "--allow-private-redirects",
            help="Follow a URL's redirects to loopback, link-local and private addresses (refused by default).",
        ),
    ] = False,
    scheduler: Annotated[
        str | None,
        typer.Option(
            help="Check on a Dask cluster: tcp://HOST:8786, or local:N for N worker processes here "
            '(pip install "claimcheck[dask]"; docs/distributed.md).'
        ),
    ] = None,
) -> None:
    """Check files for health claims and report a verdict for each."""
    from claimcheck.core.records import worst
    from claimcheck.report import render_pieces, shown
    from claimcheck.report.full import should_color
    from claimcheck.report.markdown import counts_line

    if stdin_format not in ("text", "markdown", "html"):
        _error(f"--stdin-format: {stdin_format!r} is not one of text, markdown, html")
        raise typer.Exit(2)
    if output is not None:
        _check_output(output)
    stream = None
    if scheduler is not None and output_format is not None and output_format.value == "jsonl":
        stream = functools.partial(_stream_jsonl, output=output)
    run = _run(
        paths,
        config=config,
        overrides={
            "evidence": evidence,
            "select": select,
            "ignore": ignore,
            "fail_on": fail_on.value if fail_on else None,
            "min_confidence": min_confidence,
            "format": output_format.value if output_format else None,
            "min_verdict": min_verdict.value if min_verdict else None,
        },
        use_model=None if model else False,
        model_dir=model_dir,
        url_timeout=url_timeout,
        allow_private_redirects=allow_private_redirects,
        output=output,
        stdin_format=stdin_format,
        jobs=jobs,
        use_cache=cache,
        cache_dir=cache_dir,
        diff_base=diff_base,
        baseline=baseline,
        show_progress=progress,
        explicit_format=output_format.value if output_format else None,
        exclude_paths=(output,) if output else (),
        scheduler=scheduler,
        consume=stream,
    )
    if isinstance(run, int):  # streamed (--scheduler, -f jsonl): written as results arrived
        raise typer.Exit(run)
    report, settings = run.report, run.settings
    fmt = _chosen_format(output_format.value if output_format else None, settings, output)
    color = output is None and fmt == "full" and should_color(sys.stdout)
    view = shown(report, fmt, settings.min_verdict)
    pieces = render_pieces(view, fmt, verbose=verbose, color=color)
    for skipped in run.skipped:
        typer.echo(terminal(f"claimcheck: skipped {skipped}: a report or baseline written by claimcheck"), err=True)
    for result in report.errors:
        _error(result.error or "")
    if run.baseline_matched is not None:
        typer.echo(
            terminal(
                f"claimcheck: baseline {baseline}: {run.baseline_matched} known finding(s) matched, "
                f"{len(report.findings)} new"
            ),
            err=True,
        )
    if fmt == "github":
        from claimcheck.report.github import write_step_summary

        try:
            write_step_summary(view)
        except OSError as exc:
            _error(f"GITHUB_STEP_SUMMARY: cannot write ({exc.strerror or exc})")
    if output:
        try:
            write_atomic(output, pieces)
        except OSError as exc:
            _error(f"{output}: cannot write ({exc.strerror or exc})")
            raise typer.Exit(2) from None
        typer.echo(terminal(f"claimcheck: wrote {output} ({fmt} report: {counts_line(view)})"), err=True)
    else:
        sys.stdout.writelines(pieces)
    if report.errors:
        raise typer.Exit(2)
    raise typer.Exit(1 if worst(report.findings) >= FAIL_LEVEL[settings.fail_on] else 0)


def _check_output(output: Path) -> None:
    """-o must name a regular file or a new one: a device, FIFO or socket is refused before
    anything is checked (the report is renamed over the target, which would replace it)."""
    try:
        write_target(output)
    except FileRefused as exc:
        _error(f"{output}: cannot write the report there: {exc.strerror}")
        raise typer.Exit(2) from None


def _chosen_format(explicit: str | None, settings, output: Path | None) -> str:
    """--format, else the configuration's, else full on a terminal and text elsewhere."""
    if explicit:
        return explicit
    if settings.sources.get("format", "default") != "default":
        return settings.format
    return "full" if output is None and sys.stdout.isatty() else "text"


def _run(
    paths: list[str],
    *,
    overrides: dict,
    show_progress: bool,
    explicit_format: str | None,
    scheduler: str | None = None,
    consume=None,
    **options,
):
    """Build and execute a Run (a DaskRun with --scheduler; ``consume(run, paths)`` instead of
    ``execute`` when given); configuration, git and baseline problems are one line and exit 2."""
    from claimcheck.core.errors import ModelError, SchedulerError
    from claimcheck.core.yamlio import SchemaError
    from claimcheck.project.baseline import BaselineError
    from claimcheck.project.config import ConfigError
    from claimcheck.project.gitdiff import GitError
    from claimcheck.project.runner import OutputError, Run, RunOptions

    try:
        # The command line owns its process: its run freezes the built pipelines out of the
        # collector's sight (claimcheck.core.collector), which the Python API never does.
        if scheduler is None:
            run = Run(RunOptions(overrides=overrides, freeze_gc=True, **options))
        else:
            from claimcheck.project.distributed import DaskRun

            run = DaskRun(RunOptions(overrides=overrides, freeze_gc=True, **options), scheduler)
        if consume is not None:
            return consume(run, paths)
        settings = run.settings()
        fmt = explicit_format or (settings.format if settings.sources.get("format") != "default" else None)
        bar = None
        if show_progress and fmt not in MACHINE_FORMATS and sys.stderr.isatty():
            bar = ProgressBar(PROGRESS_MIN_FILES)
        try:
            return run.execute(paths, progress=bar.advance if bar else None, on_total=bar.start if bar else None)
        finally:
            if bar:
                bar.stop()
    except (ConfigError, GitError, BaselineError, SchemaError, ModelError, OutputError, SchedulerError) as exc:
        _error(str(exc))
        raise typer.Exit(2) from None


def _stream_jsonl(run, paths: list[str], output: Path | None) -> int:
    """--scheduler with --format jsonl: lines written as results arrive (claimcheck.project.distributed)."""
    from claimcheck.project.distributed import stream_report

    level, note = FAIL_LEVEL[run.settings().fail_on], lambda text: typer.echo(terminal(text), err=True)
    return stream_report(run, paths, output, fail_level=level, error=_error, note=note)


@baseline_app.command("write")
def baseline_write(
    file: Annotated[Path, typer.Argument(help="Baseline file to write (JSON).")],
    paths: Annotated[list[str] | None, typer.Argument(help="Files or folders to check (default: .).")] = None,
    config: Annotated[Path | None, typer.Option("--config", help="Configuration file for every input.")] = None,
    evidence: Annotated[list[Path] | None, typer.Option("--evidence", help="Extra evidence folder.")] = None,
    model: Annotated[bool, typer.Option("--model/--no-model")] = True,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=0)] = 0,
    cache: Annotated[bool, typer.Option("--cache/--no-cache")] = True,
) -> None:
    """Record today's findings by fingerprint; `check --baseline FILE` then reports only new ones."""
    from claimcheck.project.baseline import write_baseline

    _check_output(file)
    run = _run(
        list(paths or ["."]),
        config=config,
        output=file,
        overrides={"evidence": evidence},
        use_model=None if model else False,
        jobs=jobs,
        use_cache=cache,
        show_progress=True,
        explicit_format="text",
    )
    for result in run.report.errors:
        _error(result.error or "")
    try:
        count = write_baseline(run.report, file, root=file.resolve().parent)
    except OSError as exc:
        _error(f"{file}: cannot write ({exc.strerror or exc})")
        raise typer.Exit(2) from None
    _say(f"wrote {file}: {count} finding(s) from {len(run.report.files)} file(s)")
    raise typer.Exit(2 if run.report.errors else 0)


@app.command("config")
def config_command(
    path: Annotated[Path | None, typer.Argument(help="File or folder to show the configuration for.")] = None,
    config: Annotated[Path | None, typer.Option("--config", help="Use this configuration file.")] = None,
) -> None:
    """Print the merged configuration for a path and where each value came from."""
    from claimcheck.project.config import ConfigError, ConfigResolver, describe, find_config

    target = path or Path.cwd()
    try:
        resolved = ConfigResolver(config).for_path(target)
    except ConfigError as exc:
        _error(str(exc))
        raise typer.Exit(2) from None
    source = config or find_config(target)
    _say(f"# configuration for {target}: {source if source else 'no configuration file (defaults)'}")
    _say(describe(resolved))


@app.command("rule")
def rule_command(
    code: Annotated[str | None, typer.Argument(help="A rule code such as CC101 (omit to list every code).")] = None,
) -> None:
    """Explain a rule code: what it flags, why, an example, a compliant rewrite, references."""
    from claimcheck.core.rule_codes import RULE_DOCS, get_rule_doc

    if code is None:
        for _code, page in sorted(RULE_DOCS.items()):
            title = page.splitlines()[0].removeprefix("# ")
            summary = page.split("\n\n", 2)[1] if "\n\n" in page else ""
            typer.echo(f"{title:40} {summary}")
        return
    page = get_rule_doc(code)
    if page is None:
        _error(f"unknown rule code {code!r} (known: {', '.join(sorted(RULE_DOCS))})")
        raise typer.Exit(2)
    typer.echo(page.rstrip("\n"))


@app.command()
def explain(
    evidence_id: Annotated[str, typer.Argument(help="An evidence id, e.g. dn.pain.neck.short_term.")],
    evidence: Annotated[list[Path] | None, typer.Option("--evidence")] = None,
) -> None:
    """Show an evidence entry: verdict, scope, summary, accepted wording and citations."""
    from claimcheck.core.yamlio import SchemaError
    from claimcheck.knowledge.declared import lexicon_for
    from claimcheck.knowledge.evidence import EvidenceBase

    try:
        lexicon = lexicon_for(evidence or [])
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
    _say(describe_entry(entry))


@evidence_app.command("list")
def evidence_list(evidence: Annotated[list[Path] | None, typer.Option("--evidence")] = None) -> None:
    """One line per evidence entry: id, type, verdict, certainty, topic."""
    from claimcheck.core.yamlio import SchemaError
    from claimcheck.knowledge.declared import lexicon_for
    from claimcheck.knowledge.evidence import EvidenceBase

    try:
        base = EvidenceBase.load(list(evidence or []), known_concepts=set(lexicon_for(evidence or []).concepts))
    except SchemaError as exc:
        _error(str(exc))
        raise typer.Exit(2) from None
    for entry in sorted(base.entries.values(), key=lambda e: (e.intervention, e.id)):
        _say(f"{entry.id:44} {entry.claim_type:11} {entry.verdict:11} {entry.certainty:9} {entry.topic}")


@evidence_app.command("validate")
def evidence_validate(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Evidence files or folders (default: the bundled base).")
    ] = None,
) -> None:
    """Validate evidence files: schema (with file:line and key), duplicate ids, citations, staleness.

    With no paths, the bundled base and the bundled wording rules (rules/wording.yaml) are
    checked; a path named wording.yaml is checked as wording rules."""
    from claimcheck.core.yamlio import SchemaError
    from claimcheck.judge.wording import WORDING_FILE, load_wording_rules
    from claimcheck.knowledge.evidence import validate_paths
    from claimcheck.knowledge.lexicon import bundled_dir, load_lexicon

    targets = list(paths or [bundled_dir("rules") / "evidence", bundled_dir("rules") / WORDING_FILE])
    missing = [p for p in targets if not p.exists()]
    for p in missing:
        _error(f"{p}: no such file or directory")
    lexicon = load_lexicon()
    wording = [p for p in targets if p.name == WORDING_FILE and p.is_file()]
    report = validate_paths([p for p in targets if p.exists() and p not in wording], set(lexicon.concepts))
    for path in wording:
        try:
            load_wording_rules(path, lexicon)
        except SchemaError as exc:
            report.errors.append(exc)
    for warning in report.warnings:
        _say(f"warning: {terminal(str(warning))}")
    for error in report.errors:
        _say(f"error: {terminal(str(error))}")
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
    from claimcheck.core.errors import CorpusError
    from claimcheck.training.train import train_model

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


def main() -> None:
    """Entry point: run the app. Ctrl-C exits 130; a data error or an unexpected failure is
    one line on standard error and exit 2, never a traceback (CLAIMCHECK_DEBUG=1 shows it)."""
    from claimcheck.core import collector
    from claimcheck.core.errors import CorpusError, ModelError
    from claimcheck.core.yamlio import SchemaError

    collector.tune()  # this process is the command line's own (claimcheck.core.collector)
    usage_error = _click_class("UsageError")
    try:
        code = app(standalone_mode=False)
    except (KeyboardInterrupt, typer.Abort):
        typer.echo("claimcheck: interrupted", err=True)
        sys.exit(130)
    except usage_error as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":  # bare `claimcheck`: the help, as Click shows it
            typer.echo(exc.format_message(), err=True)
            sys.exit(2)
        # One line, as for every other bad input: the message and where to find help.
        command = exc.ctx.command_path if getattr(exc, "ctx", None) else "claimcheck"
        _error(f"{exc.format_message()} (see '{command} --help')")
        sys.exit(2)
    except (SchemaError, ModelError, CorpusError) as exc:
        _error(str(exc))
        sys.exit(2)
    except Exception as exc:
        if os.environ.get("CLAIMCHECK_DEBUG"):
            raise
        _error(f"internal error: {type(exc).__name__}: {exc} (set CLAIMCHECK_DEBUG=1 for details)")
        sys.exit(2)
    sys.exit(code if isinstance(code, int) else 0)


def _click_class(name: str) -> type[Exception]:
    """Click's exception class ``name``, as the installed Typer uses it (Typer 0.2x carries
    its own copy of Click, older ones import Click): found among typer.BadParameter's bases."""
    return next(c for c in typer.BadParameter.__mro__ if c.__name__ == name)


if __name__ == "__main__":
    main()
