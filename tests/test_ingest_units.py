"""The unit builder every reader shares (ingest/units.py): trimming, bullet lines, long runs."""

from __future__ import annotations

from claimcheck.core.records import Piece
from claimcheck.ingest.units import MAX_UNIT_CHARS, make_unit, make_units, mark_leadins


def _verbatim(source, start=0, end=None):
    end = len(source) if end is None else end
    return [Piece(source[start:end], start, end)]


def test_bullets_emoji_and_numbers_are_trimmed_and_mark_a_list_item():
    source = "  ✔ 3) Eases stiff necks  "
    unit = make_unit("paragraph", _verbatim(source))
    assert (unit.kind, unit.text) == ("list_item", "Eases stiff necks")
    start, end = unit.to_source(0, len(unit.text))
    assert source[start:end] == "Eases stiff necks"


def test_an_invisible_character_is_trimmed_but_makes_no_list_item():
    unit = make_unit("paragraph", _verbatim("\u200bHerbal tea soothes."))
    assert (unit.kind, unit.text) == ("paragraph", "Herbal tea soothes.")


def test_a_block_without_letters_makes_no_unit():
    assert make_unit("line", _verbatim(" -- 2024 -- ")) is None


def test_a_block_of_bullet_lines_is_one_unit_per_line():
    source = "We offer:\n✔ Cupping\n✔ Gua sha"
    units = make_units("paragraph", _verbatim(source))
    assert [(u.kind, u.text) for u in units] == [
        ("paragraph", "We offer:"),
        ("list_item", "Cupping"),
        ("list_item", "Gua sha"),
    ]
    assert [source[slice(*u.to_source(0, len(u.text)))] for u in units] == ["We offer:", "Cupping", "Gua sha"]


def test_a_huge_run_is_cut_after_a_sentence_and_keeps_its_offsets():
    sentence = "Yoga may help some people relax after work. "
    source = sentence * (2 * MAX_UNIT_CHARS // len(sentence) + 3)
    units = make_units("paragraph", _verbatim(source))
    assert len(units) == 3
    assert all(len(u.text) <= MAX_UNIT_CHARS and u.text.endswith("work.") for u in units)
    assert "".join(source[slice(*u.to_source(0, len(u.text)))] + " " for u in units) == source


def test_heading_level_and_metadata_role_are_set():
    (heading,) = make_units("heading", _verbatim("Our Team"), level=4)
    (untitled,) = make_units("heading", _verbatim("Our Team"))
    (meta,) = make_units("meta", _verbatim("Calm clinic"), role="description")
    assert (heading.level, untitled.level) == (4, 2)
    assert (meta.kind, meta.role) == ("meta", "description")


def test_a_line_ending_in_a_colon_leads_the_list_items_under_it():
    units = [
        make_unit("line", _verbatim("Helpful for:")),
        make_unit("line", _verbatim("- Jaw tension")),
        make_unit("line", _verbatim("- Neck ache")),
        make_unit("line", _verbatim("Call us soon.")),
        make_unit("line", _verbatim("- Parking nearby")),
    ]
    mark_leadins(units)
    assert [u.leadin for u in units] == [None, "Helpful for:", "Helpful for:", None, None]
