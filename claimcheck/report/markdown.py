"""Markdown output: a review summary for tickets, pull requests and $GITHUB_STEP_SUMMARY.

One table of findings, worst first, so a reviewer reads the claims that must change before
the ones that may stay. Every cell is escaped: claim text is page copy and may hold pipes,
newlines, Markdown or HTML. The helpers here (ordering, citation links) are shared by the
other report formats so they agree on order and links.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from claimcheck.escape import terminal
from claimcheck.records import CLAIM_TYPES, SEVERITY, VERDICTS, Citation, FileResult, Finding

_WORST_FIRST = tuple(reversed(VERDICTS))  # unsupported, mixed, supported
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~#])")
# "@name" or "@org/team" where GitHub would read a mention (not inside an e-mail address).
_MENTION = re.compile(r"(?<![A-Za-z0-9])@(?=[A-Za-z0-9])")


def worst_first(report) -> list[tuple[FileResult, Finding]]:
    """(file, finding) pairs: unsupported, then mixed, then supported; then file order and position."""
    items = [(i, r, f) for i, r in enumerate(report.files) for f in r.findings]
    items.sort(key=lambda t: (-SEVERITY[t[2].verdict], t[0], t[2].line, t[2].column, t[2].rule, t[2].evidence_id or ""))
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
    """'N findings in M files: a unsupported, b mixed, c supported' (plus errors)."""
    findings = report.findings
    counts = ", ".join(f"{sum(1 for f in findings if f.verdict == v)} {v}" for v in _WORST_FIRST)
    checked = len(report.files) - len(report.errors)
    errors = f", {len(report.errors)} file(s) with errors" if report.errors else ""
    return f"{len(findings)} claim finding(s) in {checked} file(s): {counts}{errors}"


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
    if not f.evidence_id:
        return "none on file"
    ev_id = f.evidence_id.replace("`", "").replace("|", "\\|")
    parts = [f"`{ev_id}`"]
    if f.certainty:
        parts[0] += f" ({md_escape(f.certainty)})"
    links = [_link(citation_label(c), u) for c in f.citations if (u := citation_url(c))]
    if links:
        more = f" +{len(links) - max_links} more" if len(links) > max_links else ""
        parts.append(", ".join(links[:max_links]) + more)
    return "<br>".join(parts)


def render_markdown(report, max_rows: int | None = None) -> str:
    """The review summary: counts, errors, then a findings table worst first.

    max_rows caps the table (the rest are counted in a closing line), for places with a size
    limit such as GitHub's step summary.
    """
    findings = report.findings
    lines = ["## claimcheck review", "", f"**{counts_line(report)}**", ""]
    if findings:
        by_type = ", ".join(
            f"{n} {t}" for t in CLAIM_TYPES if (n := sum(1 for f in findings if f.claim.claim_type == t))
        )
        lines += [f"By type: {by_type}.", ""]
    if report.errors:
        lines.append("Could not check:")
        lines += [f"- {md_escape(r.error or r.path)}" for r in report.errors]
        lines.append("")
    notices = [(r.path, n) for r in report.files for n in r.notices]
    if notices:
        lines.append("Notices:")
        lines += [f"- {md_escape(path)}: {md_escape(n)}" for path, n in notices]
        lines.append("")
    if not findings:
        lines.append("No health claims found.")
        return "\n".join(lines) + "\n"
    lines += [
        "| Location | Claim | Type | Verdict | Reason | Evidence |",
        "|---|---|---|---|---|---|",
    ]
    rows = worst_first(report)
    shown = rows if max_rows is None else rows[:max_rows]
    for result, f in shown:
        lines.append(
            f"| {md_escape(f'{result.path}:{f.line}')} | {md_escape(f.claim.text, 300)} "
            f"| {f.claim.claim_type} ({f.rule}) | **{f.verdict}** | {md_escape(f.message)} | {evidence_cell(f)} |"
        )
    if len(shown) < len(rows):
        lines += ["", f"… {len(rows) - len(shown)} more finding(s) not shown; see the full report."]
    return "\n".join(lines) + "\n"
