"""What every command shares: the Typer app and its groups, the option choices, and the one-line
messages. The commands live in modules of their own (check, project, rule, evidence, training);
claimcheck.cli.app registers them and runs the app (``main``).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from claimcheck import __version__
from claimcheck.core.escape import terminal, terminal_lines
from claimcheck.report import FORMATS

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
