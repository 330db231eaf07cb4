"""Markdown output: a review summary for tickets, pull requests and $GITHUB_STEP_SUMMARY.

One table of findings, worst first, so a reviewer reads the claims that must change before
the ones that may stay. Every cell is escaped: claim text is page copy and may hold pipes,
newlines, Markdown or HTML. The helpers here (ordering, citation links) are shared by the
other report formats so they agree on order and links.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from claimcheck.core.escape import terminal
from claimcheck.core.records import (
    CLAIM_TYPES,
    SEVERITY,
    VERDICTS,
    Citation,
    FileResult,
    Finding,
    Notice,
    short_reasons,
)

_WORST_FIRST = tuple(reversed(VERDICTS))  # unsupported, mixed, supported
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~#])")
# "@name" or "@org/team" where GitHub would read a mention (not inside an e-mail address).
_MENTION = re.compile(r"(?<![A-Za-z0-9])@(?=[A-Za-z0-9])")


def worst_first(report) -> list[tuple[FileResult, Finding]]:
    """(file, finding) pairs: unsupported, then mixed, then supported; then file order and position."""
    items = [(i, r, f) for i, r in enumerate(report.files) for f in r.findings]
    items.sort(key=lambda t: (-SEVERITY[t[2].verdict], t[0], t[2].line, t[2].column, t[2].rule, t[2].claim.claim_type))
    return [(r, f) for _, r, f in items]


def citation_url(c: Citation) -> str | None:
    """A safe link for a citation: PubMed by PMID, doi.org by DOI, else an http(s) URL, else None."""
    if c.pmid and c.pmid.strip():
        return f"https://pubmed.ncbi.nlm.nih.gov/{quote(c.pmid.strip(), safe='')}/"
    if c.doi and c.doi.strip():
        return "https://doi.org/" + quote(c.doi.strip(), safe="/:;()._-")
    if c.url and c.url.strip().lower().startswith(("https://", "http://")):
        return c.url.strip()
    return None


def citation_label(c: Citation) -> str:
    """Short name for a citation link: 'PMID 123', 'doi:10.x/y' or the reference text."""
    if c.pmid and c.pmid.strip():
        return f"PMID {c.pmid.strip()}"
    if c.doi and c.doi.strip():
        return f"doi:{c.doi.strip()}"
    return c.ref


def counts_line(report) -> str:
    """'N claim finding(s) in M file(s): a unsupported, b mixed, c supported' (plus errors, and
    which verdicts --min-verdict left out of this view)."""
    findings = report.findings
    hidden = getattr(report, "hidden", None) or {}
    total = {v: sum(1 for f in findings if f.verdict == v) + hidden.get(v, 0) for v in _WORST_FIRST}
    counts = ", ".join(f"{total[v]} {v}" for v in _WORST_FIRST)
    checked = len(report.files) - len(report.errors)
    errors = f", {len(report.errors)} file(s) with errors" if report.errors else ""
    line = f"{sum(total.values())} claim finding(s) in {checked} file(s): {counts}{errors}"
    if hidden:
        left_out = " and ".join(v for v in VERDICTS if hidden.get(v))
        line += f" ({left_out} not listed: --min-verdict supported lists every finding)"
    return line


def notice_lines(report) -> list[tuple[FileResult, Notice]]:
    """(file, notice) pairs in file order, then by position."""
    return [(r, n) for r in report.files for n in sorted(r.notices, key=lambda n: (n.line, n.column, n.rule))]


def claim_segments(f: Finding) -> list[tuple[str, str | None]]:
    """The claim's text cut into (text, why) pieces: why is set on the highlighted words."""
    text, out, at = f.claim.text, [], 0
    for h in sorted(f.highlights, key=lambda h: h.start):
        i = text.find(h.text, at)
        if i < 0 or not h.text:
            continue
        if i > at:
            out.append((text[at:i], None))
        out.append((h.text, h.why))
        at = i + len(h.text)
    if at < len(text):
        out.append((text[at:], None))
    return out


def md_escape(text: str, limit: int | None = None) -> str:
    """Text safe inside a Markdown table cell: one line, Markdown and HTML characters escaped,
    control characters shown escaped, and @mentions neutralised (a zero-width space after the
    @), so that a pull-request comment quoting page copy notifies nobody."""
    text = " ".join(str(text).split())
    if limit and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    text = terminal(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MENTION.sub("@&#8203;", _MD_SPECIAL.sub(r"\\\1", text))


def _link(label: str, url: str) -> str:
    safe_url = terminal(url).replace("(", "%28").replace(")", "%29").replace(" ", "%20").replace("|", "%7C")
    return f"[{md_escape(label)}]({safe_url})"


def evidence_cell(f: Finding, max_links: int = 3) -> str:
    """Every matched entry, worst first: id, certainty, what the wording made of it, links."""
    matched = f.matched
    if not matched:
        return "none on file"
    parts = []
    for e in matched:
        ev_id = e.id.replace("`", "").replace("|", "\\|")
        moved = f"{e.entry_verdict} -> {e.verdict}" if e.entry_verdict != e.verdict else e.verdict
        cell = f"`{ev_id}` ({md_escape(e.certainty)}; {md_escape(moved)})" if e.certainty else f"`{ev_id}`"
        links = [_link(citation_label(c), u) for c in e.citations if (u := citation_url(c))]
        if links:
            more = f" +{len(links) - max_links} more" if len(links) > max_links else ""
            cell += " " + ", ".join(links[:max_links]) + more
        parts.append(cell)
    return "<br>".join(parts)


def claim_cell(f: Finding, limit: int = 300) -> str:
    """The claim, escaped and on one line, its highlighted words in bold."""
    out, used = [], 0
    for text, why in claim_segments(f):
        if used >= limit:
            out.append("…")
            break
        piece = text[: limit - used]
        used += len(piece)
        inner = md_escape(piece)
        if not inner:
            out.append(" ")
            continue
        if why:
            inner = f"**{inner}**"
        lead = " " if piece[:1].isspace() else ""
        trail = " " if piece[-1:].isspace() else ""
        out.append(lead + inner + trail + ("…" if piece != text else ""))
    return " ".join("".join(out).split())


def reasons_cell(f: Finding) -> str:
    """Every rubric step, short, one per line."""
    steps = short_reasons(f.reasons) or [f"verdict: {f.verdict}"]
    return "<br>".join(f"{i}. {md_escape(step)}" for i, step in enumerate(steps, 1))


def render_markdown(report, max_rows: int | None = None) -> str:
    """The review summary: counts, errors, notices, then a findings table worst first.

    max_rows caps the table (the rest are counted in a closing line), for places with a size
    limit such as GitHub's step summary.
    """
    from claimcheck import __version__

    findings = report.findings
    lines = [
        f"<!-- generator: claimcheck {__version__} (a report; claimcheck does not check it) -->",
        "## claimcheck review",
        "",
        f"**{md_escape(counts_line(report))}**",
        "",
    ]
    if findings:
        by_type = ", ".join(
            f"{n} {t}" for t in CLAIM_TYPES if (n := sum(1 for f in findings if f.claim.claim_type == t))
        )
        lines += [f"By type: {by_type}.", ""]
    if report.errors:
        lines.append("Could not check:")
        lines += [f"- {md_escape(r.error or r.path)}" for r in report.errors]
        lines.append("")
    notices = notice_lines(report)
    if notices:
        lines.append("Notices:")
        lines += [
            f"- {md_escape(f'{r.path}:{n.line}:{n.column}')}: {n.rule} {md_escape(n.message)}" for r, n in notices
        ]
        lines.append("")
    if not findings:
        lines.append("No health claims found." if not report.hidden else "No findings to show.")
        return "\n".join(lines) + "\n"
    lines += [
        "| Location | Claim | Type | Verdict | Reasons | Evidence |",
        "|---|---|---|---|---|---|",
    ]
    rows = worst_first(report)
    shown = rows if max_rows is None else rows[:max_rows]
    for result, f in shown:
        lines.append(
            f"| {md_escape(f'{result.path}:{f.line}')} | {claim_cell(f)} "
            f"| {f.claim.claim_type} ({f.rule}) | **{f.verdict}** | {reasons_cell(f)} | {evidence_cell(f)} |"
        )
    if len(shown) < len(rows):
        lines += ["", f"… {len(rows) - len(shown)} more finding(s) not shown; see the full report."]
    return "\n".join(lines) + "\n"
