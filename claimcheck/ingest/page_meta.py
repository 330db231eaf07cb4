"""Page metadata as text to check: the parts of a page a reader (and a regulator) sees
besides its body.

A page's ``<title>``, its meta and social descriptions, image ``alt`` text, ``title`` and
``aria-label`` attributes, a JSON-LD ``description`` and a Markdown page's front matter
(``title:``, ``description:``) all carry advertising copy. Each is returned as a list of
pieces that map every character back to the exact source offsets (inside the attribute
value, the JSON string or the front-matter value), so a finding in them is reported at
its own line and column like any other.
"""

from __future__ import annotations

import html
import json
import re

from claimcheck.core.records import Piece

# <meta name=... content=...> and <meta property=... content=...> whose content is copy.
META_NAMES = frozenset(
    {
        "description",
        "og:description",
        "og:title",
        "twitter:description",
        "twitter:title",
        "dc.description",
        "dcterms.description",
        "abstract",
    }
)
# Attributes whose value a reader sees (alt for images, tooltips, screen-reader labels).
ALT_TAGS = frozenset({"img", "area", "input"})
LABEL_ATTRS = ("title", "aria-label")
# JSON-LD keys whose string values are marketing copy rather than names or addresses.
JSONLD_KEYS = frozenset({"description", "headline", "slogan", "abstract", "disambiguatingDescription"})
# Front-matter keys that hold page copy ("seo_description", "og_title" ... count too).
_FRONT_KEY = re.compile(
    r"^(?P<key>[A-Za-z_][\w.-]*)[ \t]*[:=][ \t]*(?P<value>.*?)[ \t]*$",
)
_FRONT_COPY = re.compile(r"(?:^|[_.-])(title|description|summary|excerpt|subtitle|tagline|headline|lead|intro)$", re.I)

# Alt text that names a logo or an icon describes the site, not the offer.
_LOGO = re.compile(r"\b(logo|icon|badge)s?\s*$", re.I)
_ATTR = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
_ENTITY = re.compile(r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]*;?)")


def value_pieces(raw: str, offset: int) -> list[Piece]:
    """Pieces for an attribute value as written: entities become one piece each."""
    pieces: list[Piece] = []
    pos = 0
    for m in _ENTITY.finditer(raw):
        if m.start() > pos:
            pieces.append(Piece(raw[pos : m.start()], offset + pos, offset + m.start()))
        text = html.unescape(m.group(0))
        pieces.append(Piece(text, offset + m.start(), offset + m.end()))
        pos = m.end()
    if pos < len(raw):
        pieces.append(Piece(raw[pos:], offset + pos, offset + len(raw)))
    return pieces


def _attributes(raw_tag: str) -> dict[str, tuple[str, int]]:
    """Attribute name -> (raw value, offset of the value inside the tag text)."""
    out: dict[str, tuple[str, int]] = {}
    body_start = raw_tag.find(" ")
    if body_start < 0:
        return out
    for m in _ATTR.finditer(raw_tag, body_start):
        name = m.group(1).lower()
        for group in (2, 3, 4):
            if m.group(group) is not None:
                out.setdefault(name, (m.group(group), m.start(group)))
                break
    return out


def tag_copy(tag: str, raw_tag: str, offset: int) -> list[tuple[str, list[Piece]]]:
    """(role, pieces) for every attribute of a start tag that carries copy."""
    attrs = _attributes(raw_tag)
    found: list[tuple[str, list[Piece]]] = []

    def add(role: str, name: str) -> None:
        raw, at = attrs[name]
        if raw.strip():
            found.append((role, value_pieces(raw, offset + at)))

    if tag == "meta" and "content" in attrs:
        key = (attrs.get("name") or attrs.get("property") or ("", 0))[0].strip().lower()
        if key in META_NAMES:
            add("description" if key.endswith("description") or key == "abstract" else "title", "content")
        return found
    if tag in ALT_TAGS and "alt" in attrs and not _LOGO.search(attrs["alt"][0]):
        add("alt", "alt")
    for name in LABEL_ATTRS:
        if name in attrs:
            add("label", name)
    return found


def jsonld_copy(raw: str, offset: int) -> list[tuple[str, list[Piece]]]:
    """(role, pieces) for the copy strings of a JSON-LD block, located in the raw text.

    The block is parsed first (a broken block gives nothing); then each string value under
    a copy key is found in the raw text and decoded escape by escape, so every character
    maps back to its source."""
    try:
        json.loads(raw)
    except (ValueError, RecursionError):
        return []
    found: list[tuple[str, list[Piece]]] = []
    for m in re.finditer(r'"([A-Za-z]+)"\s*:\s*"', raw):
        if m.group(1) not in JSONLD_KEYS:
            continue
        pieces = _json_string_pieces(raw, m.end(), offset)
        if pieces:
            found.append(("description", pieces))
    return found


_JSON_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


def _json_string_pieces(raw: str, i: int, offset: int) -> list[Piece]:
    """Decode the JSON string whose body starts at ``raw[i]`` into source-mapped pieces."""
    pieces: list[Piece] = []
    run = i
    while i < len(raw):
        ch = raw[i]
        if ch == '"':
            break
        if ch != "\\":
            i += 1
            continue
        if i > run:
            pieces.append(Piece(raw[run:i], offset + run, offset + i))
        code = raw[i + 1 : i + 2]
        if code == "u" and re.fullmatch(r"[0-9a-fA-F]{4}", raw[i + 2 : i + 6]):
            pieces.append(Piece(chr(int(raw[i + 2 : i + 6], 16)), offset + i, offset + i + 6))
            i += 6
        else:
            pieces.append(Piece(_JSON_ESCAPES.get(code, code), offset + i, offset + i + 2))
            i += 2
        run = i
    if i > run:
        pieces.append(Piece(raw[run:i], offset + run, offset + i))
    return pieces


def front_matter_copy(source: str, start: int, end: int) -> list[tuple[str, list[Piece]]]:
    """(role, pieces) for the copy keys of YAML or TOML front matter in source[start:end].

    Read line by line rather than through a YAML parser: only single-line scalar values
    are copy worth checking, and each must map back to its exact characters."""
    found: list[tuple[str, list[Piece]]] = []
    pos = start
    for line in source[start:end].split("\n"):
        line_start, pos = pos, pos + len(line) + 1
        m = _FRONT_KEY.match(line.rstrip("\r"))
        if not m or not _FRONT_COPY.search(m.group("key")):
            continue
        value, at = m.group("value"), line_start + m.start("value")
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value, at = value[1:-1], at + 1
        if not value or value in ("|", ">", "|-", ">-"):
            continue
        role = "title" if "title" in m.group("key").lower() else "description"
        found.append((role, [Piece(value, at, at + len(value))]))
    return found
