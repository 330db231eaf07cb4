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
