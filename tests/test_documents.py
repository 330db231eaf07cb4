"""Input formats: every unit maps back to the exact source characters."""

from __future__ import annotations

import pytest

from claimcheck.ingest.documents import InputError, decode, format_for, parse, read_path


def _roundtrip(doc):
    for unit in doc.units:
        start, end = unit.to_source(0, len(unit.text))
        yield unit, doc.source[start:end]


def test_text_lines_headings_and_bullets():
    src = (
        "Why Needling Works\n✔ Eases neck pain\n• Calms knots\n1. Step one helps.\n"
        "1️⃣ Emoji numbers too.\nA full sentence here.\n"
    )
    doc = parse(src, "a.txt", "text")
    kinds = [(u.kind, u.text) for u in doc.units]
    assert kinds[0] == ("heading", "Why Needling Works")
    assert ("list_item", "Eases neck pain") in kinds
    assert ("list_item", "Calms knots") in kinds
    assert ("list_item", "Step one helps.") in kinds
    assert ("list_item", "Emoji numbers too.") in kinds
    for unit, source_text in _roundtrip(doc):
        assert source_text == unit.text


def test_text_leadin_is_attached_to_list_items():
    doc = parse("Great for:\n- Tennis elbow\n- Heel pain\nOther text follows here.\n", "a.txt", "text")
    items = [u for u in doc.units if u.kind == "list_item"]
    assert [u.leadin for u in items] == ["Great for:", "Great for:"]
    assert doc.units[-1].leadin is None


def test_hard_wrapped_text_is_joined():
    src = "Dry needling is offered by our team of physiotherapists who have trained for\nmany years in the technique.\n"
    doc = parse(src, "a.txt", "text")
    assert len(doc.units) == 1
    assert doc.units[0].text.endswith("technique.")


def test_markdown_skips_code_front_matter_and_link_urls():
    src = (
        "---\ntitle: Cures everything\n---\n\n# Heading Here\n\nSee [our page](https://x.org/cures) now.\n\n"
        "```\ncode cures pain\n```\n\n- item one\n- item two\n"
    )
    doc = parse(src, "a.md", "markdown")
    texts = [u.text for u in doc.units]
    assert "Heading Here" in texts
    assert not any("code cures" in t or "https" in t for t in texts)
    # Front matter is not body text, but its title is page copy: read as a metadata unit.
    assert [(u.role, u.text) for u in doc.units if u.kind == "meta"] == [("title", "Cures everything")]
    assert "See our page now." in texts
    assert [u.kind for u in doc.units if u.text.startswith("item")] == ["list_item", "list_item"]
    heading = next(u for u in doc.units if u.kind == "heading")
    start, _ = heading.to_source(0, 1)
    assert doc.line_col(start) == (5, 3)


def test_markdown_offsets_round_trip():
    src = "Intro paragraph with *emphasis* and more words.\n\n## Second heading\n"
    doc = parse(src, "a.md", "markdown")
    first = doc.units[0]
    assert first.text == "Intro paragraph with emphasis and more words."
    start, end = first.to_source(0, len(first.text))
    assert src[start:end] == "Intro paragraph with *emphasis* and more words."


def test_html_skips_script_style_nav_reads_title_footer_and_decodes_entities():
    src = (
        "<html><head><title>T</title><style>p{}</style></head><body><nav>Nav cures</nav>"
        "<h1>Needling &amp; You</h1><p>It eases\n  pain.</p><script>cures()</script>"
        "<ul><li>One</li><li>Two</li></ul><footer>Foot cures</footer></body></html>"
    )
    doc = parse(src, "a.html", "html")
    texts = [u.text for u in doc.units]
    # The title is page copy (a metadata unit); so is the footer. Script, style and nav are not.
    assert texts[:2] == ["T", "Needling & You"]
    assert not any("cures" in t for t in texts[:-1]) and texts[-1] == "Foot cures"
    assert [u.kind for u in doc.units] == ["meta", "heading", "paragraph", "list_item", "list_item", "paragraph"]
    heading = doc.units[1]
    start, end = heading.to_source(0, len(heading.text))
    assert src[start:end] == "Needling &amp; You"


def test_broken_html_still_parses():
    doc = parse("<div><p>Unclosed <b>bold <li>item</div></span>", "a.html", "html")
    assert any("Unclosed" in u.text for u in doc.units)


def test_decode_refuses_binary_and_invalid_utf8():
    with pytest.raises(InputError, match="binary"):
        decode(b"\x00\x01\x02abc", "x.txt")
    with pytest.raises(InputError, match="invalid UTF-8 at byte 3"):
        decode(b"abc\xff\xfe", "x.txt")
    assert decode("héllo".encode("utf-16"), "x.txt") == "héllo"


def test_empty_source_is_an_error():
    with pytest.raises(InputError, match="empty"):
        parse("  \n\n", "e.txt", "text")


# -- the front door: format by suffix, file errors, lead-ins for every reader ------------------


def test_read_path_picks_the_reader_by_suffix(tmp_path):
    pages = {
        "a.md": "# Cupping\n\nIt loosens the *back*.\n",
        "b.mdx": "# Cupping\n\nIt loosens the *back*.\n",
        "c.HTM": "<h1>Cupping</h1><p>It loosens the <em>back</em>.</p>",
        "d.rst": "Cupping\nIt loosens the *back*.\n",
    }
    for name, text in pages.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    docs = {name: read_path(str(tmp_path / name)) for name in pages}
    assert [docs[n].fmt for n in pages] == ["markdown", "markdown", "html", "text"]
    assert [u.text for u in docs["a.md"].units] == ["Cupping", "It loosens the back."]
    assert [u.text for u in docs["c.HTM"].units] == ["Cupping", "It loosens the back."]
    # An unknown suffix is plain text: the asterisks are part of the copy.
    assert [u.text for u in docs["d.rst"].units] == ["Cupping", "It loosens the *back*."]
    # A format given overrides the suffix (as markdown, the two lines are one paragraph).
    as_markdown = read_path(str(tmp_path / "d.rst"), "markdown")
    assert [u.text for u in as_markdown.units] == ["Cupping\nIt loosens the back."]


def test_file_errors_are_one_line_and_name_the_file(tmp_path, monkeypatch):
    from claimcheck.ingest import documents

    with pytest.raises(InputError, match=r"missing\.txt: no such file"):
        read_path(str(tmp_path / "missing.txt"))
    with pytest.raises(InputError, match="not a regular file"):
        read_path(str(tmp_path))
    big = tmp_path / "big.txt"
    big.write_text("Massage helps.\n" * 10, encoding="utf-8")
    monkeypatch.setattr(documents, "MAX_BYTES", 100)
    with pytest.raises(InputError, match=r"big\.txt: file too large \(150 bytes; the limit is 100\)"):
        read_path(str(big))


def test_format_for_knows_the_suffixes_and_nothing_else():
    assert [format_for(p) for p in ("x.TXT", "x.markdown", "x.html", "x.pdf", "README")] == [
        "text",
        "markdown",
        "html",
        None,
        None,
    ]


def test_lead_ins_reach_list_items_in_markdown_and_html():
    md = parse("It may help with:\n\n- Jaw ache\n- Poor sleep\n", "a.md", "markdown")
    page = parse("<p>It may help with:</p><ul><li>Jaw ache</li><li>Poor sleep</li></ul>", "a.html", "html")
    for doc in (md, page):
        assert [(u.text, u.leadin) for u in doc.units] == [
            ("It may help with:", None),
            ("Jaw ache", "It may help with:"),
            ("Poor sleep", "It may help with:"),
        ]
