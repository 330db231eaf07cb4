"""HTML output: the checked page itself with every claim marked, for compliance reviewers.

One self-contained file: inline CSS and a small inline script, no network requests (a
Content-Security-Policy with default-src 'none' and the script's own hash says so to the
browser too). The only URLs are citation links, which are <a href> and never loaded.

Every piece of page copy is escaped (jinja2 autoescape, html.escape for the highlighted
source), so a page holding <script> or onerror= markup shows as text and runs nothing. HTML
and Markdown sources are shown as their raw text, not rendered.

Highlights: one <mark class="cc-highlight"> per finding, so the number of highlights equals
the number of findings and each finding is reachable from exactly one. Findings that share a
claim span (one sentence meeting several evidence entries) are nested marks over the same
text, the worst verdict innermost, each with its own verdict label; clicking any of them
opens the panels of all of them. A span inside another is nested in it; a span that crosses
the end of an earlier one is clipped at that end and nested (data-start/data-end keep the
full span).

Finding panels sit in a column beside the text that stays in view while the text scrolls.
The script starts them collapsed to one summary line each (verdict, type, rule, line, claim
and evidence topic); clicking a highlight, or Enter on a focused one, opens and scrolls to
its panels. Without the script, and when printing, every panel is open. The verdict and
type filters hide panels, and a highlight whose findings are all hidden loses its colour and
label. The source sits in <pre><code> so that a leading newline survives HTML parsing.
"""

from __future__ import annotations

import base64
import hashlib
import html
from dataclasses import dataclass, field

from jinja2 import Environment
from markupsafe import Markup

from claimcheck import __version__
from claimcheck.escape import bidi
from claimcheck.records import CLAIM_TYPES, SEVERITY, VERDICTS, FileResult, Finding
from claimcheck.report.markdown import citation_label, citation_url, counts_line

_WORST_FIRST = tuple(reversed(VERDICTS))


@dataclass
class Span:
    """A highlight: a stretch of source and the findings whose claim is exactly that span."""

    start: int
    end: int
    full_end: int
    ids: list[str]
    verdicts: list[str]
    types: list[str]
    children: list[Span] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        return max(self.verdicts, key=lambda v: SEVERITY[v])


def build_spans(source: str, findings: list[tuple[str, Finding]]) -> list[Span]:
    """Group findings by span and nest the spans into a tree that closes properly."""
    groups: dict[tuple[int, int], list[tuple[str, Finding]]] = {}
    for fid, f in findings:
        start = min(max(f.claim.start, 0), len(source))
        end = min(max(f.claim.end, start), len(source))
        groups.setdefault((start, end), []).append((fid, f))
    roots: list[Span] = []
    stack: list[Span] = []
    for start, end in sorted(groups, key=lambda k: (k[0], -k[1])):
        while stack and start >= stack[-1].end:
            stack.pop()
        members = groups[(start, end)]
        node = Span(
            start=start,
            end=min(end, stack[-1].end) if stack else end,
            full_end=end,
            ids=[fid for fid, _ in members],
            verdicts=[f.verdict for _, f in members],
            types=[f.claim.claim_type for _, f in members],
        )
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    return roots


def _esc(text: str) -> str:
    return html.escape(bidi(text), quote=True)


def _shown(value: object) -> object:
    """Template values as shown: bidi overrides in page copy made visible (escape.bidi)."""
    return bidi(value) if isinstance(value, str) and not isinstance(value, Markup) else value


def _render_span(source: str, node: Span, counter: list[int]) -> str:
    """One <mark> per finding of the span, nested: the worst verdict innermost (its colour
    is the one over the text), each with its own verdict label, so the labels after a claim
    read worst first and the number of highlights is the number of findings."""
    parts, pos = [], node.start
    inner_ids = []  # element ids, reserved before the children so numbering is pre-order
    order = sorted(range(len(node.ids)), key=lambda i: SEVERITY[node.verdicts[i]])  # least severe first
    for _ in order:
        counter[0] += 1
        inner_ids.append(f"cc-h-{counter[0]}")
    for child in node.children:
        parts.append(_esc(source[pos : child.start]))
        parts.append(_render_span(source, child, counter))
        pos = child.end
    parts.append(_esc(source[pos : node.end]))
    html_text = "".join(parts)
    for hid, i in reversed(list(zip(inner_ids, order, strict=True))):  # innermost (worst) first
        fid, verdict = node.ids[i], node.verdicts[i]
        html_text = (
            f'<mark class="cc-highlight cc-v-{_esc(verdict)}" id="{hid}" tabindex="0" '
            f'data-finding-ids="{_esc(fid)}" data-verdict="{_esc(verdict)}" '
            f'data-types="{_esc(node.types[i])}" '
            f'data-start="{node.start}" data-end="{node.full_end}">'
            f"{html_text}"
            f'<a class="cc-label" href="#{_esc(fid)}">{_esc(f"[{verdict}]")}</a></mark>'
        )
    return html_text


def highlight_source(source: str, findings: list[tuple[str, Finding]]) -> tuple[Markup, dict[str, str]]:
    """The escaped source with highlights, and finding id -> highlight element id."""
    counter = [0]
    parts, pos = [], 0
    owner: dict[str, str] = {}
    for node in build_spans(source, findings):
        parts.append(_esc(source[pos : node.start]))
        before = counter[0]
        parts.append(_render_span(source, node, counter))
        _assign(node, before, owner)
        pos = node.end
    parts.append(_esc(source[pos:]))
    return Markup("".join(parts)), owner


def _assign(node: Span, before: int, owner: dict[str, str]) -> int:
    """Replay the pre-order numbering used by _render_span to map finding ids to highlight ids."""
    order = sorted(range(len(node.ids)), key=lambda i: SEVERITY[node.verdicts[i]])
    for i in order:
        before += 1
        owner[node.ids[i]] = f"cc-h-{before}"
    for child in node.children:
        before = _assign(child, before, owner)
    return before


def _panel(fid: str, f: Finding) -> dict:
    return {
        "id": fid,
        "rule": f.rule,
        "verdict": f.verdict,
        "type": f.claim.claim_type,
        "line": f.line,
        "column": f.column,
        "claim": f.claim.text,
        "message": f.message,
        "reasons": list(f.reasons),
        "evidence_id": f.evidence_id,
        "topic": f.evidence_topic,
        "certainty": f.certainty,
        "citations": [
            {"label": citation_label(c), "url": citation_url(c), "ref": c.ref, "design": c.design} for c in f.citations
        ],
        "suggestion": f.suggestion,
    }


def _file_view(index: int, result: FileResult, first_id: int) -> dict:
    ids = [(f"cc-f-{first_id + i}", f) for i, f in enumerate(result.findings)]
    source_html, owner = (None, {})
    if result.source is not None:
        source_html, owner = highlight_source(result.source, ids)
    panels = [_panel(fid, f) | {"highlight": owner.get(fid)} for fid, f in ids]
    counts = {v: sum(1 for f in result.findings if f.verdict == v) for v in VERDICTS}
    return {
        "anchor": f"cc-file-{index}",
        "path": result.path,
        "fmt": result.fmt or "text",
        "error": result.error,
        "notices": list(result.notices),
        "source_html": source_html,
        "panels": panels,
        "counts": counts,
        "total": len(result.findings),
    }


def render_html(report, title: str = "claimcheck report") -> str:
    """The report as one self-contained HTML page (summary, filters, highlighted pages, panels)."""
    files, next_id = [], 1
    for i, result in enumerate(report.files):
        files.append(_file_view(i + 1, result, next_id))
        next_id += len(result.findings)
    findings = report.findings
    by_verdict = {v: sum(1 for f in findings if f.verdict == v) for v in _WORST_FIRST}
    by_type = {t: sum(1 for f in findings if f.claim.claim_type == t) for t in CLAIM_TYPES}
    top = max([1, *by_verdict.values()])
    script_hash = base64.b64encode(hashlib.sha256(_SCRIPT.encode("utf-8")).digest()).decode("ascii")
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
        css=Markup(_CSS),
        script=Markup(_SCRIPT),
        script_hash=script_hash,
    )


_CSS = """
:root { --ink: #111; --muted: #444; --bg: #fff; --line: #999; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif, "Apple Color Emoji",
  "Segoe UI Emoji", "Noto Color Emoji"; color: var(--ink);
  background: var(--bg); margin: 0 auto; max-width: 1400px; padding: 1rem 1.5rem; }
h1 { font-size: 1.5rem; margin: .2rem 0 .6rem; } h2 { font-size: 1.2rem; margin: 1.6rem 0 .5rem; }
table { border-collapse: collapse; margin: .4rem 0 1rem; } th, td { border: 1px solid var(--line);
  padding: .2rem .5rem; text-align: left; vertical-align: top; } td.n { text-align: right; }
.cc-summary { display: flex; flex-wrap: wrap; gap: 2rem; }
.cc-chart { min-width: 280px; } .cc-chart .row { display: flex; align-items: center; gap: .5rem; margin: .2rem 0; }
.cc-chart .name { width: 7.5rem; } .cc-chart .track { flex: 1; min-width: 120px; border: 1px solid var(--line); }
.cc-bar { height: 1.1rem; min-width: 2px; box-sizing: border-box; }
.cc-bar.cc-empty { min-width: 0; }
.cc-nothing { font-size: 1.1rem; border: 2px solid #1e6b34; padding: .5rem .8rem; }
.cc-filters { border: 1px solid var(--line); padding: .5rem .8rem; margin: 1rem 0; }
.cc-filters .cc-tools { display: flex; flex-wrap: wrap; align-items: center; gap: .6rem; margin-top: .4rem; }
.cc-filters button { font: inherit; padding: .1rem .6rem; }
.cc-count { margin: 0; font-weight: 600; }
.cc-filters fieldset { border: 0; display: inline-block; margin: 0 1.5rem 0 0; padding: 0; }
.cc-filters label { margin-right: .8rem; white-space: nowrap; }
.cc-file { border-top: 2px solid var(--ink); margin-top: 1.5rem; }
.cc-cols { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 1.5rem; align-items: start; }
.cc-panels { position: sticky; top: 0; max-height: 100vh; overflow-y: auto; padding: .2rem .3rem .2rem 0; }
.cc-source { white-space: pre-wrap; overflow-wrap: anywhere; font: 14px/1.7 ui-monospace, SFMono-Regular,
  Menlo, Consolas, monospace, "Apple Color Emoji", "Segoe UI Emoji", "Noto Color Emoji";
  border: 1px solid var(--line); padding: .8rem; margin: 0; }
.cc-source code { font: inherit; }
.cc-highlight { color: var(--ink); cursor: pointer; padding: 0 .1rem; border-bottom-width: 3px; }
.cc-label { font: bold 11px/1 system-ui, sans-serif; color: #fff; padding: .1rem .3rem; margin-left: .2rem;
  text-decoration: none; border-radius: 2px; white-space: nowrap; }
.cc-v-unsupported { background-color: #ffd6d6; border: 2px solid #a40000;
  background-image: repeating-linear-gradient(135deg, rgba(164,0,0,.16) 0 3px, transparent 3px 8px); }
.cc-v-mixed { background-color: #fff1b8; border: 2px dashed #6b4700;
  background-image: radial-gradient(rgba(107,71,0,.28) 1px, transparent 1.4px); background-size: 6px 6px; }
.cc-v-supported { background-color: #d7f0dd; border: 2px dotted #1e6b34; }
mark.cc-v-unsupported > .cc-label { background: #a40000; }
mark.cc-v-mixed > .cc-label { background: #6b4700; } mark.cc-v-supported > .cc-label { background: #1e6b34; }
.cc-highlight.cc-filtered { background: none; border-color: transparent; }
.cc-highlight.cc-filtered > .cc-label { display: none; }
.cc-highlight:focus, .cc-highlight.cc-current { outline: 3px solid #0b57d0; outline-offset: 1px; }
.cc-panel { border: 1px solid var(--line); border-left-width: 8px; margin: 0 0 .8rem; padding: .3rem .7rem; }
.cc-panel.cc-v-unsupported { border-left: 8px solid #a40000; background: none; }
.cc-panel.cc-v-mixed { border-left: 8px dashed #6b4700; background: none; }
.cc-panel.cc-v-supported { border-left: 8px double #1e6b34; background: none; }
.cc-panel summary { cursor: pointer; font-weight: 600; }
.cc-snippet { display: block; font-weight: normal; color: var(--muted); white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; padding-left: 1rem; }
.cc-panel[open] .cc-snippet { display: none; }
.cc-highlight:target { outline: 3px solid #0b57d0; outline-offset: 1px; }
.cc-panel.cc-active, .cc-panel:target { outline: 3px solid #0b57d0; }
.cc-verdict { font-weight: bold; text-transform: uppercase; letter-spacing: .03em; }
.cc-panel dl { display: grid; grid-template-columns: max-content 1fr; gap: .1rem .7rem; margin: .4rem 0; }
.cc-panel dt { color: var(--muted); } .cc-panel dd { margin: 0; } .cc-panel ol { margin: 0; padding-left: 1.2rem; }
.cc-error { border: 2px solid #a40000; padding: .4rem .7rem; }
.cc-muted { color: var(--muted); }
@media (max-width: 900px) { .cc-cols { grid-template-columns: 1fr; } }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  .cc-filters, .cc-back { display: none; }
  .cc-cols { grid-template-columns: 1fr; }
  .cc-panels { position: static; max-height: none; overflow: visible; }
  .cc-panel::details-content { content-visibility: visible; }
  .cc-snippet { display: none; }
  .cc-panel { break-inside: avoid; }
  .cc-highlight, .cc-label, .cc-bar { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .cc-label { border: 1px solid #000; }
}
"""

_SCRIPT = """
(function () {
  var boxes = Array.prototype.slice.call(document.querySelectorAll('.cc-filters input[type=checkbox]'));
  var panels = Array.prototype.slice.call(document.querySelectorAll('.cc-panel'));
  var marks = Array.prototype.slice.call(document.querySelectorAll('.cc-highlight'));
  var count = document.querySelector('.cc-count');
  function apply() {
    var off = {}, shown = 0;
    boxes.forEach(function (b) { if (!b.checked) { off[b.name + ':' + b.value] = true; } });
    panels.forEach(function (p) {
      p.hidden = !!(off['verdict:' + p.getAttribute('data-verdict')] || off['type:' + p.getAttribute('data-type')]);
      if (!p.hidden) { shown += 1; }
    });
    marks.forEach(function (m) {
      var visible = m.getAttribute('data-finding-ids').split(' ').some(function (id) {
        var p = document.getElementById(id); return p && !p.hidden;
      });
      m.classList.toggle('cc-filtered', !visible);
    });
    if (count) { count.textContent = 'Showing ' + shown + ' of ' + panels.length + ' findings.'; }
  }
  // The highlights of one claim span: one per finding, nested in each other.
  function sameSpan(a, b) {
    return a.getAttribute('data-start') === b.getAttribute('data-start') &&
      a.getAttribute('data-end') === b.getAttribute('data-end');
  }
  function group(m) {
    var top = m, up = m.parentElement && m.parentElement.closest('.cc-highlight');
    while (up && sameSpan(up, m)) { top = up; up = up.parentElement && up.parentElement.closest('.cc-highlight'); }
    return [top].concat(Array.prototype.slice.call(top.querySelectorAll('.cc-highlight')).filter(
      function (x) { return sameSpan(x, m); }));
  }
  function show(m) {
    panels.forEach(function (p) { p.classList.remove('cc-active'); });
    marks.forEach(function (x) { x.classList.remove('cc-current'); });
    m.classList.add('cc-current');
    var own = null, first = null;
    group(m).forEach(function (g) {
      g.getAttribute('data-finding-ids').split(' ').forEach(function (id) {
        var p = document.getElementById(id);
        if (p && !p.hidden) {
          p.classList.add('cc-active'); p.open = true; first = first || p;
          if (g === m) { own = p; }
        }
      });
    });
    if (own || first) { (own || first).scrollIntoView({block: 'nearest'}); }
  }
  function openAll(open) { panels.forEach(function (p) { p.open = open; }); }
  boxes.forEach(function (b) { b.addEventListener('change', apply); });
  document.addEventListener('click', function (e) {
    var t = e.target.closest ? e.target : null;
    var button = t && t.closest('button[data-open]');
    if (button) { openAll(button.getAttribute('data-open') === 'all'); return; }
    var m = t && t.closest('.cc-highlight');
    if (m) { e.preventDefault(); show(m); }
  });
  document.addEventListener('keydown', function (e) {
    var m = document.activeElement;
    if ((e.key === 'Enter' || e.key === ' ') && m && m.classList.contains('cc-highlight')) {
      e.preventDefault(); show(m);
    }
  });
  var before = null;
  window.addEventListener('beforeprint', function () {
    before = panels.map(function (p) { return p.open; }); openAll(true);
  });
  window.addEventListener('afterprint', function () {
    if (before) { panels.forEach(function (p, i) { p.open = before[i]; }); before = null; }
  });
  // Findings start as a compact list (without this script every panel stays open).
  openAll(false);
  var target = location.hash ? document.getElementById(location.hash.slice(1)) : null;
  if (target && target.classList.contains('cc-panel')) { target.open = true; }
  apply();
})();
"""

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
<button type="button" data-open="all">Expand all</button> <button type="button" data-open="none">Collapse all</button>
</div>
</form>
{% for f in files %}
<section class="cc-file" id="{{ f.anchor }}">
<h2>{{ f.path }}</h2>
{% if f.error %}<p class="cc-error">{{ f.error }}</p>{% else %}
{% for n in f.notices %}<p class="cc-muted">Notice: {{ n }}</p>
{% endfor %}
<div class="cc-cols">
<div>
{% if f.fmt != 'text' %}<p class="cc-muted">Shown as the raw {{ f.fmt }} source text.</p>{% endif %}
{% if f.source_html is not none %}<pre class="cc-source"><code>{{ f.source_html }}</code></pre>{% endif %}
</div>
<div class="cc-panels">
{% if not f.panels %}<p>No health claims found.</p>{% endif %}
{% for p in f.panels %}
<details class="cc-panel cc-v-{{ p.verdict }}" id="{{ p.id }}" data-verdict="{{ p.verdict }}" \
data-type="{{ p.type }}" open>
<summary><span class="cc-verdict">[{{ p.verdict }}]</span> {{ p.type }} &middot; {{ p.rule }} &middot; \
line {{ p.line }}:{{ p.column }}<span class="cc-snippet">{{ p.claim }}</span>\
{% if p.topic %}<span class="cc-snippet">evidence: {{ p.topic }}</span>{% endif %}</summary>
<blockquote>{{ p.claim }}</blockquote>
<dl>
<dt>why</dt><dd>{{ p.message }}</dd>
<dt>reasons</dt><dd><ol>{% for r in p.reasons %}<li>{{ r }}</li>{% endfor %}</ol></dd>
{% if p.evidence_id %}
<dt>evidence</dt><dd><code>{{ p.evidence_id }}</code>{% if p.topic %}: {{ p.topic }}{% endif %}</dd>
<dt>certainty</dt><dd>{{ p.certainty }}</dd>
{% if p.citations %}<dt>citations</dt><dd><ul>{% for c in p.citations %}<li>{{ c.ref }}\
{% if c.design %} ({{ c.design }}){% endif %}{% if c.url %} <a href="{{ c.url }}" rel="noopener noreferrer" \
target="_blank">{{ c.label }}</a>{% endif %}</li>{% endfor %}</ul></dd>{% endif %}
{% else %}
<dt>evidence</dt><dd>none on file</dd>
{% endif %}
{% if p.suggestion %}<dt>suggestion</dt><dd>{{ p.suggestion }}</dd>{% endif %}
</dl>
{% if p.highlight %}<p class="cc-back"><a href="#{{ p.highlight }}">show in the text</a></p>{% endif %}
</details>
{% endfor %}
</div>
</div>
{% endif %}
</section>
{% endfor %}
<footer class="cc-muted"><p>claimcheck {{ version }}. Verdicts: unsupported, mixed, supported \
(colour, border style and a text label mark each one).</p></footer>
<script>{{ script }}</script>
</body>
</html>
"""
