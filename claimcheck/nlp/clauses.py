"""Cut a sentence into predicate clauses, so that each claim gets its own span.

"Cupping draws out toxins, loosens knots and lifts your mood" makes three claims, and a
regulator rules on each: every coordinated predicate (a claim verb after a comma, "and",
"&" or ";") starts a clause. One predicate over a list ("relieves back pain, sciatica and
migraine") stays one clause: what follows each comma there is not a claim verb. A pipe
(" | ", as in page titles and banner strips) always separates, and so do result and
contrast links (", so you ...", "while ...").

Works on tokens only (the pipeline has no parser): a clause starts where a claim verb
cue starts right after a link word, optionally after a pronoun or an adverb ("and it
also calms ...").
"""

from __future__ import annotations

# Cue ids whose spans are predicates: a new clause may start where one starts.
PREDICATE_CUES = frozenset({"efficacy_verb", "mechanism_verb", "safety_minimizer"})
# The cue ids this module reads by name (checked against rules/cues.yaml at load).
REQUIRED_CUES = PREDICATE_CUES
# Tokens that join coordinated predicates.
_LINKS = frozenset({",", ";", "&", "and", "+", "plus", "—", "–"})
# Tokens that always start a new clause (with what follows them).
_BREAK_WORDS: frozenset[str] = frozenset()
# Contrast links that start a new clause after a comma or a dash (", but it is also ...").
_CONTRAST = frozenset({"but", "yet"})
# Words that may stand between a link and the claim verb ("and it also boosts").
_BRIDGE = frozenset(
    {
        "it",
        "they",
        "this",
        "also",
        "even",
        "then",
        "can",
        "will",
        "may",
        "helps",
        "help",
        "to",
        "has",
        "have",
        "is",
        "are",
        "gently",
        "naturally",
        "quickly",
        "actively",
        "do",
        "does",
        "don't",
        "doesn't",
        "don’t",
        "doesn’t",
        "not",
        "never",
        "n't",
        "n’t",
    }
)
# Verbs that carry a claim in their object ("and leaves you glowing", "and gets you moving").
_LIGHT_VERBS = frozenset(
    {"gives", "makes", "leaves", "keeps", "gets", "lets", "puts", "takes", "sends", "brings", "helps", "works"}
)
# Words that open an independent clause after ", and" or ";".
_SUBJECT_STARTS = frozenset(
    {
        "the",
        "our",
        "your",
        "it",
        "they",
        "this",
        "these",
        "most",
        "many",
        "some",
        "you",
        "we",
        "i",
        "its",
        "their",
        "it's",
        "it’s",
        "clients",
        "patients",
        "people",
    }
)
_AUXILIARIES = frozenset({"can", "will", "may", "to", "is", "are", "has", "have", "do", "does"})
_PIPES = frozenset({"|", "¦", "•", "·", "✦", "✧", "★", "☆", "◆", "♦", "●", "▪", "✓", "✔", "✅", "❖", "⬥"})
_DASHES = frozenset({"—", "–", "-", "--"})
MIN_CLAUSE_TOKENS = 2  # a clause of one token ("and") is not worth its own span


def clause_bounds(
    doc, bound: tuple[int, int, int, int], predicate_starts: set[int], banner: bool = False
) -> list[tuple[int, int, int, int]]:
    """Clause bounds (char start, char end, token start, token end) inside one sentence.

    ``banner``: the sentence is a heading, a title or other page metadata, where a spaced
    dash separates slogans ("DESTROYS FAT FAST – RESULTS FOR LIFE") as a pipe does."""
    _, _, ts, te = bound
    pipes = _PIPES | _DASHES if banner else _PIPES
    if te - ts < 4 and not any(doc[i].text in pipes for i in range(ts, te)):
        return [bound]
    cuts: list[tuple[int, int]] = []  # (end token of the clause before, start token of the next)
    i = ts + 1
    while i < te:
        tok = doc[i]
        text = tok.text
        start = cuts[-1][1] if cuts else ts
        # A bare comma after a clause with no claim verb yet closes an aside, not a clause
        # ("A TENS unit, combined with painkillers, gives ...").
        has_verb = any(j in predicate_starts for j in range(start, i))
        if (text in pipes and (text not in _DASHES or doc[i - 1].whitespace_)) or (
            text in _DASHES and doc[i - 1].whitespace_ and i + 1 < te and _dash_clause(doc, i + 1, te, predicate_starts)
        ):
            cuts.append((i, i + 1))
        elif tok.lower_ in _CONTRAST and (doc[i - 1].text == "," or doc[i - 1].text in _DASHES):
            cuts.append((i - 1, i + 1))
        elif tok.lower_ in _BREAK_WORDS or (tok.lower_ == "so" and doc[i - 1].text == ","):
            cuts.append((i - 1 if doc[i - 1].text == "," else i, i))
        elif text == "," and i + 2 < te and _clause_follows(doc, i + 1, te, predicate_starts):
            cuts.append((i, i + 1))
        elif text in (",", ";") and i + 2 < te and _new_subject_follows(doc, i + 1):
            cuts.append((i, i + 2 if doc[i + 1].lower_ == "and" else i + 1))
        elif (
            tok.lower_ in _LINKS
            and i + 1 < te
            and not _participle_after_comma(doc, i)
            and not _shared_copula(doc, i, start)
            and _predicate_follows(doc, i + 1, te, predicate_starts, light_ok=has_verb or text != ",")
        ):
            end = i
            if tok.lower_ in ("and", "plus") and doc[i - 1].text == ",":
                end = i - 1
            cuts.append((end, i + 1))
        i += 1
    if not cuts:
        return [bound]
    out: list[tuple[int, int, int, int]] = []
    start = ts
    for end, nxt in cuts:
        if end - start >= MIN_CLAUSE_TOKENS or (out == [] and end > start):
            out.append(_bound(doc, start, end))
            start = nxt
        elif out:
            continue
    if te - start >= 1:
        out.append(_bound(doc, start, te))
    return [b for b in out if b[3] > b[2]] or [bound]


def _shared_copula(doc, i: int, start: int) -> bool:
    """ "PRP is CE marked and proven to heal ...": a participle after "and" shares the clause's
    "is"; it is one claim."""
    nxt = doc[i + 1].lower_ if i + 1 < len(doc) else ""
    return (
        doc[i].lower_ == "and"
        and nxt.endswith(("ed", "en"))
        and any(doc[j].lower_ in ("is", "are", "was", "were") for j in range(start, i))
    )


def _participle_after_comma(doc, i: int) -> bool:
    """ ", helping it relax", ", promoting healing": a participle after a comma tells the
    result of the clause before it and stays with it."""
    return doc[i].text == "," and doc[i + 1].lower_.endswith("ing") and doc[i + 1].lower_ not in ("bring",)


def _predicate_follows(doc, i: int, te: int, predicate_starts: set[int], light_ok: bool = True) -> bool:
    """A claim verb starts at token i, or just after a pronoun or an adverb; or a light
    verb that carries a claim in its object does ("gives your immune system a lift")."""
    if doc[i].lower_ in _LIGHT_VERBS:
        return light_ok
    after_comma = doc[i - 1].text == ","
    for j in range(i, min(i + 3, te)):
        if j in predicate_starts:
            return True
        # After a bare comma a modal or "is" continues the predicate of a subject set off by an
        # aside ("IASTM, used as part of physio care, can help ..."): no new clause there.
        if doc[j].lower_ not in _BRIDGE or (after_comma and doc[j].lower_ in _AUXILIARIES):
            return False
    return False


def _clause_follows(doc, i: int, te: int, predicate_starts: set[int]) -> bool:
    """ ", the knot lets go": a short subject ("the knot", "fresh blood") then its verb."""
    if doc[i].lower_ not in _SUBJECT_STARTS:
        return False
    for j in range(i + 1, min(i + 4, te)):
        if j in predicate_starts or doc[j].lower_ in _LIGHT_VERBS:
            return True
        if not doc[j].is_alpha:
            return False
    return False


def _dash_clause(doc, i: int, te: int, predicate_starts: set[int]) -> bool:
    """A spaced dash in running text that opens a clause of its own ("... shoulder – clients
    often regain movement"), not an aside of a few words."""
    return (
        doc[i].lower_ in _CONTRAST
        or _clause_follows(doc, i, te, predicate_starts)
        or _predicate_follows(doc, i, te, predicate_starts)
        or (doc[i].lower_ in _SUBJECT_STARTS | {"clients", "patients", "people", "most", "many"})
    )


def _new_subject_follows(doc, i: int) -> bool:
    """ ", and the panels are ...", "; most clients ...": an independent clause starts."""
    j = i + 1 if doc[i].lower_ == "and" else i
    return j < len(doc) and (doc[i].lower_ == "and" or doc[i - 1].text == ";") and doc[j].lower_ in _SUBJECT_STARTS


def _bound(doc, start: int, end: int) -> tuple[int, int, int, int]:
    span = doc[start:end]
    return span.start_char, span.end_char, start, end
