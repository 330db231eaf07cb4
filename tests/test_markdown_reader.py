"""The Markdown reader on its own: what a .md page's units are and where each one is written."""

from __future__ import annotations

import pytest

from claimcheck.core.limits import Refused
from claimcheck.ingest.markdown_reader import read_markdown

PAGE = """---
title: Gentle Osteopathy in Leeds
layout: clinic
description: Osteopathy that settles sciatica for good
---

# Osteopathy at the Riverside Clinic

Our osteopaths use *gentle* hands-on care &amp; advice, see [the team](https://example.org/team).

![Osteopathy mends a slipped disc](img/spine.jpg)

## What we treat

1. Lower back ache
2. Stiff shoulders

- Headaches \\*often\\* ease
- Posture

```
code that reverses ageing
```
"""


def _where(source, unit, word):
    """The source characters behind ``word`` of a unit's text."""
    at = unit.text.index(word)
    start, end = unit.to_source(at, at + len(word))
    return source[start:end]


def _line_of(source, offset):
    return source.count("\n", 0, offset) + 1


def test_blocks_become_units_of_their_kind_in_page_order():
    units = read_markdown(PAGE)
    assert [(u.kind, u.text) for u in units if u.kind != "meta"] == [
        ("heading", "Osteopathy at the Riverside Clinic"),
        ("paragraph", "Our osteopaths use gentle hands-on care & advice, see the team."),
        ("heading", "What we treat"),
        ("list_item", "Lower back ache"),
        ("list_item", "Stiff shoulders"),
        ("list_item", "Headaches *often* ease"),
        ("list_item", "Posture"),
    ]
    assert [u.level for u in units if u.kind == "heading"] == [1, 2]
    assert not any("ageing" in u.text or "example.org" in u.text for u in units)


def test_front_matter_copy_and_image_alt_are_metadata_units():
    units = read_markdown(PAGE)
    meta = [(u.role, u.text) for u in units if u.kind == "meta"]
    # Front matter first (only its copy keys: "layout" is not copy), the alt text in page order.
    assert meta == [
        ("title", "Gentle Osteopathy in Leeds"),
        ("description", "Osteopathy that settles sciatica for good"),
        ("alt", "Osteopathy mends a slipped disc"),
    ]
    alt = next(u for u in units if u.role == "alt")
    start, end = alt.to_source(0, len(alt.text))
    assert PAGE[start - 2 : end] == "![Osteopathy mends a slipped disc"


def test_every_unit_maps_back_to_what_is_written():
    units = read_markdown(PAGE)
    para = next(u for u in units if u.kind == "paragraph")
    assert _where(PAGE, para, "gentle") == "gentle"
    amp = para.text.index("&")
    assert PAGE[para.to_source(amp, amp + 1)[0] :].startswith("&amp; advice")
    assert _where(PAGE, para, "the team") == "the team"
    escaped = next(u for u in units if u.text.startswith("Headaches"))
    assert _where(PAGE, escaped, "often") == "often"
    for unit in units:
        start, end = unit.to_source(0, len(unit.text))
        assert PAGE[start:end].startswith(unit.text[:4])
    heading = units[2]
    start, _ = heading.to_source(0, 1)
    # The blanked front matter keeps its lines: the heading is on line 7, as in an editor.
    assert (_line_of(PAGE, start), PAGE[start:].split("\n")[0]) == (7, "Osteopathy at the Riverside Clinic")


BODY = PAGE[PAGE.index("# Osteopathy") :]


@pytest.mark.parametrize(("page", "newline"), [(PAGE, "\r\n"), (BODY, "\r")])
def test_windows_and_old_mac_line_ends_keep_offsets_true(page, newline):
    source = page.replace("\n", newline)
    units = read_markdown(source)
    assert [u.text.replace(newline, "\n") for u in units] == [u.text for u in read_markdown(page)]
    for unit in units:
        start, end = unit.to_source(0, len(unit.text))
        assert source[start:end].replace(newline, "\n").startswith(unit.text[:4])


def test_a_wrapped_paragraph_is_one_unit_with_its_line_break():
    source = "Massage for runners,\nafter a long race.\n"
    (unit,) = read_markdown(source)
    assert unit.text == "Massage for runners,\nafter a long race."
    start, end = unit.to_source(0, len(unit.text))
    assert source[start:end] == source.rstrip("\n")


def test_table_cells_are_units():
    source = "| Session | Note |\n| --- | --- |\n| Cupping | Loosens tight fascia |\n"
    texts = [(u.kind, u.text) for u in read_markdown(source)]
    assert ("paragraph", "Loosens tight fascia") in texts and ("paragraph", "Cupping") in texts


def test_nesting_beyond_the_limit_is_refused():
    with pytest.raises(Refused):
        read_markdown(">" * 500 + " deep quote\n")
