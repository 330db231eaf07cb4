"""The HTML reader on its own: what an .html page's units are and where each one is written."""

from __future__ import annotations

from claimcheck.ingest.html_reader import read_html

PAGE = """<!doctype html>
<html><head><title>Sports Massage | Harbour Clinic</title>
<meta name="description" content="Massage that prevents every injury">
<meta property="og:title" content="Harbour Clinic">
<style>p { color: red }</style>
<script type="application/ld+json">{"@type": "MedicalClinic", "description": "We heal torn muscles in days"}</script>
<script>var claim = "massage melts fat";</script>
</head><body>
<nav><a href="/">Home</a> <a href="/offers">Massage melts fat</a></nav>
<header><h1>Sports Massage</h1></header>
<main>
<p>Massage may ease muscle soreness after a race &ndash; ask us.</p>
<img src="m.jpg" alt="Massage boosts your immune system">
<h3>Prices</h3>
<ul><li>30 minutes</li><li><p>One hour session</p></li></ul>
<form><button>Massage melts fat</button></form>
</main>
<footer><p>Registered massage therapists &copy; 2024</p></footer>
</body></html>"""


def _source_of(unit):
    start, end = unit.to_source(0, len(unit.text))
    return PAGE[start:end]


def test_body_blocks_become_units_and_skipped_regions_do_not():
    units = read_html(PAGE)
    body = [(u.kind, u.level, u.text) for u in units if u.kind != "meta"]
    assert body == [
        ("heading", 1, "Sports Massage"),
        ("paragraph", 0, "Massage may ease muscle soreness after a race – ask us."),
        ("heading", 3, "Prices"),
        ("list_item", 0, "30 minutes"),
        ("list_item", 0, "One hour session"),
        ("paragraph", 0, "Registered massage therapists © 2024"),
    ]
    # Navigation, scripts, styles and form controls are not copy.
    assert not any("melts fat" in u.text or "color" in u.text for u in units)


def test_metadata_is_read_as_units_in_page_order():
    units = read_html(PAGE)
    meta = [(u.role, u.text) for u in units if u.kind == "meta"]
    assert meta == [
        ("title", "Sports Massage | Harbour Clinic"),
        ("description", "Massage that prevents every injury"),
        ("title", "Harbour Clinic"),
        ("description", "We heal torn muscles in days"),
        ("alt", "Massage boosts your immune system"),
    ]
    starts = [u.pieces[0].src_start for u in units]
    assert starts == sorted(starts)


def test_every_unit_maps_back_to_what_is_written():
    units = read_html(PAGE)
    by_text = {u.text: u for u in units}
    assert _source_of(by_text["Massage may ease muscle soreness after a race – ask us."]) == (
        "Massage may ease muscle soreness after a race &ndash; ask us."
    )
    assert _source_of(by_text["Registered massage therapists © 2024"]) == "Registered massage therapists &copy; 2024"
    assert _source_of(by_text["We heal torn muscles in days"]) == "We heal torn muscles in days"
    alt = by_text["Massage boosts your immune system"]
    start, _ = alt.to_source(0, 1)
    assert PAGE[start - 5 : start] == 'alt="'
    for unit in units:
        assert _source_of(unit).startswith(unit.text[:5])


def test_a_paragraph_across_lines_keeps_its_offsets():
    source = "<p>Cupping may\n   loosen tight\nmuscles.</p><p>Book &amp pay</p>"
    first, second = read_html(source)
    start, end = first.to_source(0, len(first.text))
    assert source[start:end] == "Cupping may\n   loosen tight\nmuscles."
    # An entity written without its semicolon still maps to the characters written.
    amp = second.text.index("&")
    assert second.to_source(amp, amp + 1) == (source.index("&amp"), source.index("&amp") + 4)


def test_unclosed_tags_and_stray_end_tags_still_give_units():
    units = read_html("<div><p>Reflexology relaxes <b>feet <li>Lavender oil</div></span><p>Call us")
    assert [u.text for u in units] == ["Reflexology relaxes feet", "Lavender oil", "Call us"]
