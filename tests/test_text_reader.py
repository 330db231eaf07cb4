"""The plain-text reader on its own: lines, wrapped paragraphs and bullet lists as units."""

from __future__ import annotations

from claimcheck.ingest.text_reader import read_text

PAGE = """Acupuncture for Stress

Our practitioners offer acupuncture sessions for people who feel tense after a long
working week, in a quiet room.

Clients tell us it helps with:
• Sleep
- Tension headaches
2) Low mood.
Book online today.
"""


def _source_of(source, unit):
    start, end = unit.to_source(0, len(unit.text))
    return source[start:end]


def test_lines_bullets_and_wrapped_prose_become_units():
    units = read_text(PAGE)
    assert [(u.kind, u.text) for u in units] == [
        ("heading", "Acupuncture for Stress"),
        (
            "paragraph",
            "Our practitioners offer acupuncture sessions for people who feel tense after a long\n"
            "working week, in a quiet room.",
        ),
        ("paragraph", "Clients tell us it helps with:"),
        ("list_item", "Sleep"),
        ("list_item", "Tension headaches"),
        ("list_item", "Low mood."),
        ("paragraph", "Book online today."),
    ]
    # The first short line is the page's title; the reader leaves lead-ins to the Document.
    assert units[0].level == 1
    assert all(u.leadin is None for u in units)


def test_every_unit_maps_back_to_its_line_without_the_bullet():
    units = read_text(PAGE)
    for unit in units:
        assert _source_of(PAGE, unit) == unit.text
    sleep = units[3]
    start, _ = sleep.to_source(0, 1)
    assert PAGE[start - 2 : start + 5] == "• Sleep"
    assert PAGE.count("\n", 0, start) + 1 == 7


def test_a_short_line_after_the_first_is_a_level_two_heading():
    units = read_text("Cupping therapy is offered on weekdays.\nOur Prices\nA session lasts forty minutes.\n")
    assert [(u.kind, u.level) for u in units] == [("paragraph", 0), ("heading", 2), ("paragraph", 0)]


def test_windows_line_ends_stay_out_of_the_text():
    source = "Reiki Sessions\r\n- Calm mind\r\nWe are open daily.\r\n"
    units = read_text(source)
    assert [u.text for u in units] == ["Reiki Sessions", "Calm mind", "We are open daily."]
    assert all(_source_of(source, u) == u.text for u in units)


def test_a_wrapped_line_is_not_joined_to_a_capitalised_line():
    source = "Our massage therapists are trained in deep tissue and sports techniques over years\nThen book.\n"
    assert len(read_text(source)) == 2


def test_lines_without_letters_make_no_units():
    assert [u.text for u in read_text("***\n12345\n\n---\nHerbal teas\n")] == ["Herbal teas"]
