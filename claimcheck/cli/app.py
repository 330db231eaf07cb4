"""Command line: a thin Typer layer over :class:`claimcheck.pipeline.checker.Checker`.

Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 usage or input
error (bad file, broken evidence YAML). Errors are one line on standard error.

The app and what the commands share are in claimcheck.cli.common; each command is in a
module of its own, imported here (in the order ``--help`` lists them) to register it.
"""

from __future__ import annotations

import os
import sys

import typer

from claimcheck.cli.common import _error, app

# Importing a command's module registers it; --help lists the commands in this order.
# isort: off
from claimcheck.cli import check  # noqa: F401
from claimcheck.cli import project  # noqa: F401
from claimcheck.cli import rule  # noqa: F401
from claimcheck.cli import evidence  # noqa: F401
from claimcheck.cli import training  # noqa: F401
# isort: on

__all__ = ["app", "main"]


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
