"""``claimcheck rule``: the documentation of a rule code."""

from __future__ import annotations

from typing import Annotated

import typer

from claimcheck.cli.common import _error, app


@app.command("rule")
def rule_command(
    code: Annotated[str | None, typer.Argument(help="A rule code such as CC101 (omit to list every code).")] = None,
) -> None:
    """Explain a rule code: what it flags, why, an example, a compliant rewrite, references."""
    from claimcheck.core.rule_codes import RULES, get_rule_doc

    if code is None:
        for rule in RULES.values():
            typer.echo(f"{f'{rule.code} ({rule.name})':40} {rule.title}.")
        return
    page = get_rule_doc(code)
    if page is None:
        _error(f"unknown rule code {code!r} (known: {', '.join(RULES)})")
        raise typer.Exit(2)
    typer.echo(page.rstrip("\n"))
