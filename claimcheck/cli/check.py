"""``claimcheck check``: check inputs and write the report (claimcheck.project.runner does the run)."""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import Annotated

import typer

from claimcheck.cli.common import FAIL_LEVEL, FailOn, MinVerdict, OutputFormat, _error, app
from claimcheck.cli.text import ProgressBar
from claimcheck.core.escape import terminal
from claimcheck.core.fileio import FileRefused, write_atomic, write_target
from claimcheck.report import MACHINE_FORMATS

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
        list[Path] | None,
        typer.Option("--evidence", help="Extra evidence folder or file (repeatable); its entries win by id."),
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
