"""Renderers: one module per output format. Each takes a Report and returns a string."""

from __future__ import annotations

FORMATS = ("text", "json")


def render(report, fmt: str, **options) -> str:
    if fmt == "json":
        from claimcheck.report.json_report import render_json

        return render_json(report)
    from claimcheck.report.text import render_text

    return render_text(report, **options)
