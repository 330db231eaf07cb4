"""HTML output: the checked page as a reader sees it, every claim marked, for compliance reviewers.

One self-contained file: inline CSS and a small inline script, no network requests (a
Content-Security-Policy with default-src 'none' and the script's own hash says so to the
browser too). The only URLs are citation links, which are <a href> and never loaded.

The page (report/page_view.py): headings, paragraphs and lists as the reader sees them, and
the page's title, description and image texts in a box of their own; each claim span is
one <mark> with the worst verdict of its findings and a text label, the words at fault
underlined inside it. Beside it, one panel per finding, open: verdict, type, rule, position,
the claim with its words at fault, every reason, every evidence entry with its citations,
and the suggested wording. Clicking a claim (or Enter on it) brings its panels forward; n/j
and p/k (or the Next and Previous buttons) walk the claims the filters show. The verdict and
type filters hide panels, and a mark whose findings are all hidden loses its colour and label.

Every piece of page copy is escaped (jinja2 autoescape, html.escape in page_view), so a page
holding <script> or onerror= markup shows it as text and runs nothing.
"""

from __future__ import annotations

import base64
import hashlib
import html

from jinja2 import Environment
from markupsafe import Markup

from claimcheck import __version__
from claimcheck.core.escape import bidi
from claimcheck.core.records import CLAIM_TYPES, VERDICTS, FileResult, Finding
from claimcheck.report.html_assets import CSS, SCRIPT
from claimcheck.report.markdown import citation_label, citation_url, claim_segments, counts_line
from claimcheck.report.page_view import meta_html, page_html, page_view

_WORST_FIRST = tuple(reversed(VERDICTS))


def _claim_html(f: Finding) -> Markup:
    """The claim, escaped, with its words at fault underlined."""
    parts = []
    for text, why in claim_segments(f):
        if why:
            w = html.escape(why)
            parts.append(f'<u class="cc-fault" data-why="{w}" title="{w}">{html.escape(bidi(text))}</u>')
        else:
            parts.append(html.escape(bidi(text)))
    return Markup("".join(parts))


def _shown(value: object) -> object:
    """Template values as shown: bidi overrides in page copy made visible (escape.bidi)."""
    return bidi(value) if isinstance(value, str) and not isinstance(value, Markup) else value


def _panel(fid: str, f: Finding, mark: str | None) -> dict:
    return {
        "id": fid,
        "mark": mark,
        "rule": f.rule,
        "verdict": f.verdict,
        "type": f.claim.claim_type,
        "line": f.line,
        "column": f.column,
        "claim": _claim_html(f),
        "words": [(h.why, " ".join(h.text.split())) for h in f.highlights],
        "reasons": [r for r in f.reasons if not r.startswith("verdict: ")],
        "evidence": [
            {
                "id": e.id,
                "topic": e.topic,
                "certainty": e.certainty,
                "moved": f"{e.entry_verdict} -> {e.verdict}" if e.entry_verdict != e.verdict else e.verdict,
                "citations": [
                    {"label": citation_label(c), "url": citation_url(c), "ref": c.ref, "design": c.design}
                    for c in e.citations
                ],
            }
            for e in f.matched
        ],
        "suggestion": f.suggestion,
    }


def _file_view(index: int, result: FileResult, first_id: int, marks: list[int]) -> dict:
    """One file's section; ``marks`` holds the number of the next mark and is advanced."""
    ids = [(f"cc-f-{first_id + i}", f) for i, f in enumerate(result.findings)]
    page = meta = None
    unplaced: list[Markup] = []
    owner: dict[str, str] = {}
    if result.source is not None:
        view = page_view(result, ids, marks[0])
        marks[0] = view.next_mark
        page, meta = Markup(page_html(view)), Markup(meta_html(view))
        unplaced, owner = [Markup(u) for u in view.unplaced], view.owner
    counts = {v: sum(1 for f in result.findings if f.verdict == v) for v in VERDICTS}
    return {
        "anchor": f"cc-file-{index}",
        "path": result.path,
        "fmt": result.fmt or "text",
        "error": result.error,
        "notices": sorted(result.notices, key=lambda n: (n.line, n.column, n.rule)),
        "page": page,
        "meta": meta,
        "unplaced": unplaced,
        "panels": [_panel(fid, f, owner.get(fid)) for fid, f in ids],
        "counts": counts,
        "total": len(result.findings),
    }


def render_html(report, title: str = "claimcheck report") -> str:
    """The report as one self-contained HTML page (summary, filters, the pages, panels)."""
    files, next_id, marks = [], 1, [1]
    for i, result in enumerate(report.files):
        files.append(_file_view(i + 1, result, next_id, marks))
        next_id += len(result.findings)
    findings = report.findings
    by_verdict = {v: sum(1 for f in findings if f.verdict == v) for v in _WORST_FIRST}
    by_type = {t: sum(1 for f in findings if f.claim.claim_type == t) for t in CLAIM_TYPES}
    top = max([1, *by_verdict.values()])
    script_hash = base64.b64encode(hashlib.sha256(SCRIPT.encode("utf-8")).digest()).decode("ascii")
    env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True, finalize=_shown)
    return env.from_string(_TEMPLATE).render(
        title=title,
        version=__version__,
        summary=counts_line(report),
        files=files,
        by_verdict=by_verdict,
        by_type=by_type,
        bar={v: round(100 * n / top) for v, n in by_verdict.items()},
        errors=[(r.path, r.error) for r in report.errors],
        total=len(findings),
        verdicts=_WORST_FIRST,
        types=CLAIM_TYPES,
        css=Markup(CSS),
        script=Markup(SCRIPT),
        script_hash=script_hash,
    )


_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; \
script-src 'sha256-{{ script_hash }}'; base-uri 'none'; form-action 'none'">
<meta name="generator" content="claimcheck {{ version }}">
<title>{{ title }}</title>
<style>{{ css }}</style>
</head>
<body>
<header>
<h1>{{ title }}</h1>
<p><strong>{{ summary }}</strong></p>
{% if not total and not errors %}<p class="cc-nothing">Nothing to report: no health claims were found.</p>{% endif %}
</header>
<section class="cc-summary" aria-label="Summary">
<div>
<h2>By verdict</h2>
<div class="cc-chart" role="img" aria-label="Findings by verdict: \
{% for v in verdicts %}{{ by_verdict[v] }} {{ v }}{{ ', ' if not loop.last }}{% endfor %}">
{% for v in verdicts %}
<div class="row"><span class="name">{{ v }}</span><span class="track">{% if by_verdict[v] %}\
<span class="cc-bar cc-v-{{ v }}" style="display:block;width:{{ bar[v] }}%"></span>{% else %}\
<span class="cc-bar cc-empty" style="display:block;width:0"></span>{% endif %}</span>\
<span class="n">{{ by_verdict[v] }}</span></div>
{% endfor %}
</div>
</div>
<div>
<h2>By type</h2>
<table><thead><tr><th>type</th><th>findings</th></tr></thead><tbody>
{% for t in types %}<tr><td>{{ t }}</td><td class="n">{{ by_type[t] }}</td></tr>
{% endfor %}
</tbody></table>
</div>
<div>
<h2>Files</h2>
<table><thead><tr><th>file</th>{% for v in verdicts %}<th>{{ v }}</th>{% endfor %}<th>total</th></tr></thead><tbody>
{% for f in files %}<tr><td><a href="#{{ f.anchor }}">{{ f.path }}</a>{% if f.error %} \
<span class="cc-verdict">error</span>{% endif %}</td>{% for v in verdicts %}<td class="n">{{ f.counts[v] }}</td>\
{% endfor %}<td class="n">{{ f.total }}</td></tr>
{% endfor %}
</tbody></table>
</div>
</section>
{% if errors %}
<section class="cc-error" aria-label="Errors"><h2>Could not check</h2><ul>
{% for path, error in errors %}<li>{{ error or path }}</li>
{% endfor %}</ul></section>
{% endif %}
<form class="cc-filters" aria-label="Filters">
<fieldset><legend>Verdict</legend>
{% for v in verdicts %}<label><input type="checkbox" name="verdict" value="{{ v }}" checked> {{ v }}</label>
{% endfor %}</fieldset>
<fieldset><legend>Type</legend>
{% for t in types %}<label><input type="checkbox" name="type" value="{{ t }}" checked> {{ t }}</label>
{% endfor %}</fieldset>
<div class="cc-tools"><p class="cc-count" role="status">Showing {{ total }} of {{ total }} findings.</p>
<button type="button" data-step="-1">Previous claim</button> <button type="button" data-step="1">Next claim</button>
<p class="cc-keys">Keys: <kbd>n</kbd>/<kbd>j</kbd> next claim, <kbd>p</kbd>/<kbd>k</kbd> previous, \
<kbd>Enter</kbd> on a claim shows its findings.</p>
</div>
</form>
{% for f in files %}
<section class="cc-file" id="{{ f.anchor }}">
<h2>{{ f.path }}</h2>
{% if f.error %}<p class="cc-error">{{ f.error }}</p>{% else %}
{% if f.notices %}<ul class="cc-notices">{% for n in f.notices %}<li class="cc-notice">\
<strong>{{ n.rule }}</strong> line {{ n.line }}, column {{ n.column }}: {{ n.message }}</li>
{% endfor %}</ul>{% endif %}
<div class="cc-cols">
<div class="cc-view">
{% if f.meta %}<h3 class="cc-muted">Title, description and image texts</h3>{{ f.meta }}{% endif %}
{% if f.page is not none %}<article class="cc-page" aria-label="The page as a reader sees it">
{% if f.page %}{{ f.page }}{% else %}<p class="cc-muted">This page has no text to show.</p>{% endif %}
</article>{% endif %}
{% if f.unplaced %}<h3>Claims outside the text shown</h3><ul class="cc-unplaced">\
{% for u in f.unplaced %}<li>{{ u }}</li>{% endfor %}</ul>{% endif %}
</div>
<div class="cc-panels">
{% if not f.panels %}<p>No health claims found.</p>{% endif %}
{% for p in f.panels %}
<article class="cc-panel cc-v-{{ p.verdict }}" id="{{ p.id }}" data-verdict="{{ p.verdict }}" \
data-type="{{ p.type }}"{% if p.mark %} data-mark="{{ p.mark }}"{% endif %}>
<h3><span class="cc-verdict">[{{ p.verdict }}]</span> {{ p.type }} &middot; {{ p.rule }} &middot; \
line {{ p.line }}:{{ p.column }}{% if p.mark %} &middot; <a class="cc-back cc-back-link" \
href="#{{ p.mark }}">show in the page</a>{% endif %}</h3>
<blockquote>{{ p.claim }}</blockquote>
<dl>
{% if p.words %}<dt>words at fault</dt><dd>{% for why, text in p.words %}<span class="cc-word">{{ text }}</span> \
<span class="cc-muted">({{ why }})</span>{{ ', ' if not loop.last }}{% endfor %}</dd>{% endif %}
<dt>reasons</dt><dd><ol>{% for r in p.reasons %}<li>{{ r }}</li>{% endfor %}</ol></dd>
<dt>evidence</dt><dd>{% if p.evidence %}<ul>{% for e in p.evidence %}<li><code>{{ e.id }}</code>: {{ e.topic }} \
({{ e.certainty }} certainty; {{ e.moved }}){% if e.citations %}<ul>{% for c in e.citations %}<li>{{ c.ref }}\
{% if c.design %} ({{ c.design }}){% endif %}{% if c.url %} <a href="{{ c.url }}" rel="noopener noreferrer" \
target="_blank">{{ c.label }}</a>{% endif %}</li>{% endfor %}</ul>{% endif %}</li>{% endfor %}</ul>\
{% else %}none on file{% endif %}</dd>
{% if p.suggestion %}<dt>suggested wording</dt><dd class="cc-suggestion">{{ p.suggestion }}</dd>{% endif %}
</dl>
</article>
{% endfor %}
</div>
</div>
{% endif %}
</section>
{% endfor %}
<footer class="cc-muted"><p>claimcheck {{ version }}. Verdicts: unsupported, mixed, supported \
(colour, border style and a text label mark each one); the words at fault are underlined.</p></footer>
<script>{{ script }}</script>
</body>
</html>
"""
