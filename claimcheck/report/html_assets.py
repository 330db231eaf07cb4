"""The HTML review page's inline CSS and script (kept apart from the template for reading).

The script is allowed by its hash in the page's Content-Security-Policy; it makes no
requests. What it does: the verdict and type filters; clicking a claim (or Enter on a
focused one) brings its findings' panels forward; ``n``/``j`` and ``p``/``k`` (or the Next
and Previous buttons) move to the next or previous claim that the filters show.
"""

CSS = """
:root { --ink: #111; --muted: #444; --bg: #fff; --line: #999; --paper: #fbfaf7; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif, "Apple Color Emoji",
  "Segoe UI Emoji", "Noto Color Emoji"; color: var(--ink);
  background: var(--bg); margin: 0 auto; max-width: 1500px; padding: 1rem 1.5rem; }
h1 { font-size: 1.5rem; margin: .2rem 0 .6rem; } h2 { font-size: 1.2rem; margin: 1.6rem 0 .5rem; }
table { border-collapse: collapse; margin: .4rem 0 1rem; } th, td { border: 1px solid var(--line);
  padding: .2rem .5rem; text-align: left; vertical-align: top; } td.n { text-align: right; }
.cc-summary { display: flex; flex-wrap: wrap; gap: 2rem; }
.cc-chart { min-width: 280px; } .cc-chart .row { display: flex; align-items: center; gap: .5rem; margin: .2rem 0; }
.cc-chart .name { width: 7.5rem; } .cc-chart .track { flex: 1; min-width: 120px; border: 1px solid var(--line); }
.cc-bar { height: 1.1rem; min-width: 2px; box-sizing: border-box; }
.cc-bar.cc-empty { min-width: 0; }
.cc-nothing { font-size: 1.1rem; border: 2px solid #1e6b34; padding: .5rem .8rem; }
.cc-filters { border: 1px solid var(--line); padding: .5rem .8rem; margin: 1rem 0; position: sticky; top: 0;
  background: var(--bg); z-index: 2; }
.cc-filters .cc-tools { display: flex; flex-wrap: wrap; align-items: center; gap: .6rem; margin-top: .4rem; }
.cc-filters button { font: inherit; padding: .1rem .6rem; }
.cc-count { margin: 0; font-weight: 600; }
.cc-keys { margin: 0; color: var(--muted); } kbd { border: 1px solid var(--line); border-radius: 3px; padding: 0 .25rem;
  font: 12px ui-monospace, monospace; }
.cc-filters fieldset { border: 0; display: inline-block; margin: 0 1.5rem 0 0; padding: 0; }
.cc-filters label { margin-right: .8rem; white-space: nowrap; }
.cc-file { border-top: 2px solid var(--ink); margin-top: 1.5rem; }
.cc-cols { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 1.5rem; align-items: start; }
.cc-panels { position: sticky; top: 7.5rem; max-height: calc(100vh - 8rem); overflow-y: auto;
  padding: .2rem .3rem .2rem 0; }
.cc-page { background: var(--paper); border: 1px solid var(--line); padding: .6rem 1.2rem; line-height: 1.75;
  font: 16px/1.75 Georgia, "Times New Roman", serif, "Apple Color Emoji", "Segoe UI Emoji", "Noto Color Emoji"; }
.cc-page p, .cc-page ul { margin: .5rem 0; } .cc-page-h { font-family: system-ui, sans-serif; margin: 1rem 0 .4rem; }
.cc-page-h1 { font-size: 1.6rem; } .cc-page-h2 { font-size: 1.3rem; } .cc-page-h3 { font-size: 1.1rem; }
.cc-page-h4, .cc-page-h5, .cc-page-h6 { font-size: 1rem; }
.cc-meta { display: grid; grid-template-columns: max-content 1fr; gap: .2rem .8rem; margin: 0 0 .8rem;
  border: 1px dashed var(--line); padding: .5rem .8rem; }
.cc-meta dt { color: var(--muted); font: 600 13px/1.9 system-ui, sans-serif; } .cc-meta dd { margin: 0; }
.cc-highlight { color: var(--ink); cursor: pointer; padding: 0 .1rem; border-bottom-width: 3px; }
.cc-fault { text-decoration: underline wavy #0b2a6b; text-decoration-thickness: 2px; text-underline-offset: 3px;
  font-weight: 600; }
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
.cc-highlight.cc-filtered .cc-fault { text-decoration: none; font-weight: inherit; }
.cc-highlight:focus, .cc-highlight.cc-current, .cc-highlight:target { outline: 3px solid #0b57d0; outline-offset: 1px; }
.cc-panel { border: 1px solid var(--line); border-left-width: 8px; margin: 0 0 .8rem; padding: .3rem .7rem; }
.cc-panel.cc-v-unsupported { border-left: 8px solid #a40000; background: none; }
.cc-panel.cc-v-mixed { border-left: 8px dashed #6b4700; background: none; }
.cc-panel.cc-v-supported { border-left: 8px double #1e6b34; background: none; }
.cc-panel h3 { font-size: 1rem; margin: .2rem 0; }
.cc-panel.cc-active, .cc-panel:target { outline: 3px solid #0b57d0; }
.cc-panel blockquote { margin: .3rem 0; padding-left: .6rem; border-left: 3px solid var(--line); }
.cc-verdict { font-weight: bold; text-transform: uppercase; letter-spacing: .03em; }
.cc-panel dl { display: grid; grid-template-columns: max-content 1fr; gap: .1rem .7rem; margin: .4rem 0; }
.cc-panel dt { color: var(--muted); } .cc-panel dd { margin: 0; } .cc-panel ol, .cc-panel ul { margin: 0;
  padding-left: 1.2rem; }
.cc-suggestion { background: #eef6ee; border: 1px solid #1e6b34; padding: .3rem .5rem; }
.cc-error { border: 2px solid #a40000; padding: .4rem .7rem; }
.cc-muted { color: var(--muted); }
@media (max-width: 900px) {
  .cc-cols { grid-template-columns: 1fr; } .cc-panels { position: static; max-height: none; }
}
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  .cc-filters, .cc-back { display: none; }
  .cc-cols { grid-template-columns: 1fr; }
  .cc-panels { position: static; max-height: none; overflow: visible; }
  .cc-panel { break-inside: avoid; }
  .cc-highlight, .cc-label, .cc-bar { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .cc-label { border: 1px solid #000; }
}
"""

SCRIPT = """
(function () {
  var boxes = Array.prototype.slice.call(document.querySelectorAll('.cc-filters input[type=checkbox]'));
  var panels = Array.prototype.slice.call(document.querySelectorAll('.cc-panel'));
  var marks = Array.prototype.slice.call(document.querySelectorAll('.cc-highlight'));
  var count = document.querySelector('.cc-count');
  var current = -1;
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
  function show(m) {
    panels.forEach(function (p) { p.classList.remove('cc-active'); });
    marks.forEach(function (x) { x.classList.remove('cc-current'); });
    m.classList.add('cc-current');
    current = marks.indexOf(m);
    var first = null;
    m.getAttribute('data-finding-ids').split(' ').forEach(function (id) {
      var p = document.getElementById(id);
      if (p && !p.hidden) { p.classList.add('cc-active'); first = first || p; }
    });
    if (first) {
      // The panels column scrolls on its own beside the page: put the panel at its top.
      var column = first.closest('.cc-panels');
      if (column && column.scrollHeight > column.clientHeight + 1) {
        column.scrollTop += first.getBoundingClientRect().top - column.getBoundingClientRect().top - 6;
      } else {
        first.scrollIntoView({block: 'nearest'});
      }
    }
  }
  function step(by) {
    var visible = marks.filter(function (m) { return !m.classList.contains('cc-filtered'); });
    if (!visible.length) { return; }
    var at = current < 0 ? -1 : visible.indexOf(marks[current]);
    if (at < 0 && current >= 0) {
      at = visible.filter(function (m) { return marks.indexOf(m) < current; }).length - (by > 0 ? 1 : 0);
    }
    var next = visible[(at + by + visible.length) % visible.length];
    next.focus({preventScroll: true});
    next.scrollIntoView({block: 'center'});
    show(next);
  }
  boxes.forEach(function (b) { b.addEventListener('change', apply); });
  document.addEventListener('click', function (e) {
    var t = e.target.closest ? e.target : null;
    var button = t && t.closest('button[data-step]');
    if (button) { step(+button.getAttribute('data-step')); return; }
    var back = t && t.closest('a.cc-back-link');
    if (back) {
      var target = document.getElementById(back.getAttribute('href').slice(1));
      if (target) { e.preventDefault(); target.focus({preventScroll: true}); target.scrollIntoView({block: 'center'});
        show(target); }
      return;
    }
    var m = t && t.closest('.cc-highlight');
    if (m) { e.preventDefault(); show(m); }
  });
  document.addEventListener('keydown', function (e) {
    var el = document.activeElement;
    if (e.altKey || e.ctrlKey || e.metaKey) { return; }
    if (el && /^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(el.tagName) && e.key !== 'n' && e.key !== 'p') {
      if (el.tagName !== 'INPUT' || el.type !== 'checkbox') { return; }
    }
    if (e.key === 'n' || e.key === 'j') { e.preventDefault(); step(1); return; }
    if (e.key === 'p' || e.key === 'k') { e.preventDefault(); step(-1); return; }
    if ((e.key === 'Enter' || e.key === ' ') && el && el.classList && el.classList.contains('cc-highlight')) {
      e.preventDefault(); show(el);
    }
  });
  apply();
})();
"""
