"""Commands about a project's settings: ``baseline write`` and ``config``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from claimcheck.cli.check import _check_output, _run
from claimcheck.cli.common import _error, _say, app, baseline_app


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
