"""The spaCy pipeline: ``spacy.blank("en")`` plus our own components.

No trained spaCy model is used (none can be downloaded here, and third-party copies are
untrustworthy). Our components: a lookup lemmatizer from a vendored table, the rule-based
sentencizer, and one matcher that marks concept and cue spans from ``rules/``.
"""

from __future__ import annotations

import gzip
import json
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from claimcheck.knowledge.lexicon import Lexicon
from claimcheck.nlp.spacy_import import import_spacy

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

LEMMA_TABLE = Path(__file__).resolve().parents[1] / "data" / "en_lemma_lookup.json.gz"
# Words whose dictionary lemma would blur a distinction the rules rely on.
LEMMA_OVERRIDES = {
    "lower": "lower",
    "higher": "higher",
    "faster": "faster",
    "quicker": "quicker",
    "greater": "greater",
    "deeper": "deeper",
    "fewer": "fewer",
    "better": "better",
    "best": "best",
    "safer": "safer",
    "safest": "safest",
    "worse": "worse",
    "proven": "proven",
    "less": "less",
    "more": "more",
    "its": "its",
    "tens": "tens",
    "ims": "ims",
    "lasting": "lasting",
    "healing": "healing",
    "needling": "needling",
    "left": "left",
    "as": "as",
    "us": "us",
    "could": "could",
    "might": "might",
    "would": "would",
    "may": "may",
    "should": "should",
    "must": "must",
    "ice": "ice",
    "data": "data",
    "media": "media",
}
CONCEPTS_KEY = "concepts"
CUES_KEY = "cues"


@lru_cache(maxsize=1)
def _lemma_table() -> dict[str, str]:
    with gzip.open(LEMMA_TABLE, "rt", encoding="utf-8") as fh:
        table = json.load(fh)
    table.update(LEMMA_OVERRIDES)
    return table


def lemma_of(word: str) -> str:
    lower = word.lower()
    return _lemma_table().get(lower, lower)


def _set_lemmas(doc: Doc) -> Doc:
    table = _lemma_table()
    for token in doc:
        lower = token.lower_
        token.lemma_ = table.get(lower, lower)
    return doc


class _Lemmatizer:
    """The ``claimcheck_lemmas`` pipe: what ``_set_lemmas`` does, set from arrays.

    It keeps a map from a lower-case form's hash to its lemma's hash (both in this
    pipeline's string store), so each distinct word is looked up once per run rather than
    each token once per document, and spaCy Token objects are never created.
    """

    def __init__(self) -> None:
        self.hashes: dict[int, int] = {}

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        import numpy
        from spacy.attrs import LEMMA, LOWER

        strings = doc.vocab.strings
        hashes = self.hashes
        table = _lemma_table()
        out = []
        for h in doc.to_array(LOWER).tolist():
            lemma = hashes.get(h)
            if lemma is None:
                lower = strings[h]
                lemma = hashes[h] = strings.add(table.get(lower, lower))
            out.append(lemma)
        doc.from_array([LEMMA], numpy.array(out, dtype="uint64").reshape(-1, 1))
        return doc


class LexemeFlags:
    """Turns word-level pattern tests into lexeme flags, computed once per distinct word.

    spaCy's Matcher runs a ``REGEX``/``IN``/``NOT_IN`` test on ``TEXT``/``ORTH``/``LOWER``
    as a Python call for every token, in every document; such a test depends only on the
    word's spelling, which is what a lexeme is. So the tests of one token spec become one
    flag (``Vocab.add_flag``), set when spaCy first meets a word and read as a bit by the
    Matcher. The flag function applies the same tests as spaCy's predicates: ``re.search``
    on the word's text or its lower-case form (from the vocabulary's own LOWER getter), and
    set membership. Anything else in a spec stays as written; with no free flag bits left,
    or no LOWER getter, specs stay as written too.
    """

    ATTRS: ClassVar[dict[str, str]] = {"TEXT": "orth", "ORTH": "orth", "LOWER": "lower"}
    FIRST_FREE = 19  # spaCy's own lexical flags use bits 1-18 (FLAG19 is the first named spare)

    def __init__(self, vocab) -> None:
        from spacy.attrs import LOWER

        self.vocab = vocab
        self.lower_of = vocab.lex_attr_getters.get(LOWER)
        self.ids: dict[tuple, int] = {}

    def compile(self, spec: dict) -> dict:
        """A token spec with its word-level predicates replaced by one ``FLAGnn: True``."""
        if self.lower_of is None or not isinstance(spec, dict):
            return spec
        kept: dict = {}
        tests: list[tuple[str, str, object]] = []
        for attr, value in spec.items():
            where = self.ATTRS.get(attr.upper()) if isinstance(attr, str) else None
            if where and self._compilable(value):
                tests.extend((where, op, value[op] if op == "REGEX" else tuple(value[op])) for op in sorted(value))
            else:
                kept[attr] = value
        if not tests:
            return spec
        key = tuple(tests)
        if key not in self.ids:
            free = [b for b in range(self.FIRST_FREE, 64) if b not in self.vocab.lex_attr_getters]
            if not free:
                return spec
            self.ids[key] = self.vocab.add_flag(self._getter(tests), free[0])
        kept[f"FLAG{self.ids[key]}"] = True
        return kept

    @staticmethod
    def _compilable(value) -> bool:
        if not isinstance(value, dict) or not value:
            return False
        for op, arg in value.items():
            if op == "REGEX":
                if not isinstance(arg, str):
                    return False
            elif op in ("IN", "NOT_IN"):
                if not isinstance(arg, list) or not all(isinstance(x, str) for x in arg):
                    return False
            else:
                return False
        return True

    def _getter(self, tests: list[tuple[str, str, object]]):
        import re

        lower_of = self.lower_of
        compiled = [(where, op, re.compile(arg) if op == "REGEX" else frozenset(arg)) for where, op, arg in tests]

        def flag(word: str) -> bool:
            lower = None
            for where, op, arg in compiled:
                if where == "orth":
                    text = word
                else:
                    if lower is None:
                        lower = lower_of(word)
                    text = lower
                if op == "REGEX":
                    if arg.search(text) is None:
                        return False
                elif op == "IN":
                    if text not in arg:
                        return False
                elif text in arg:
                    return False
            return True

        return flag


SENTENCE_PUNCT = (".", "!", "?", "…", "。")


class _Sentencizer:
    """The ``claimcheck_sentences`` pipe: spaCy's rule-based Sentencizer, computed on arrays.

    spaCy's version makes a Token object per token to read its text and ``is_punct``. The
    rule is the same here: a sentence starts at token 0 and at every word token (neither
    punctuation nor one of ``SENTENCE_PUNCT``) that has one of ``SENTENCE_PUNCT`` between
    it and the previous word token. A test holds the two equal on random token sequences.
    """

    def __init__(self, punct_chars: tuple[str, ...] = SENTENCE_PUNCT) -> None:
        from spacy.strings import hash_string

        self.punct_chars = punct_chars
        self._hashes = sorted(hash_string(c) for c in punct_chars)

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if not n:
            return doc
        import numpy
        from spacy.attrs import IS_PUNCT, ORTH, SENT_START

        rows = doc.to_array([ORTH, IS_PUNCT])
        ends = numpy.isin(rows[:, 0], numpy.array(self._hashes, dtype=rows.dtype))
        words = numpy.flatnonzero((rows[:, 1] == 0) & ~ends)
        seen = numpy.cumsum(ends)
        starts = numpy.zeros(n, dtype=bool)
        starts[0] = True
        if len(words):
            before = numpy.concatenate(([0], seen[words[:-1]]))
            starts[words[seen[words] > before]] = True
        # 1 starts a sentence, -1 does not; spaCy's arrays hold -1 as a wrapped uint64.
        values = numpy.where(starts, 1, -1).astype(numpy.int64).view(numpy.uint64)
        doc.from_array([SENT_START], values.reshape(-1, 1))
        return doc


GATE_MIN_TOKENS = 48


class PatternGate:
    """Says when token patterns cannot match a doc, so the Matcher need not run over it.

    spaCy's Matcher makes a Token object for every token of every doc it is given, which
    costs more than the matching itself; most blocks of text match no token pattern at all.
    A pattern can only match if, for each of its required token specs (no ``OP``, or
    ``OP: "+"``), some token of the doc meets that spec. The gate checks the parts of those
    specs that are word-level (lexeme flags, including the ones ``LexemeFlags`` made, and
    ``ORTH``/``TEXT``/``LOWER`` equal to a string) with one ``Doc.to_array`` per doc. A spec
    it cannot read adds no requirement, and a pattern with no readable requirement makes the
    Matcher run on every doc, so the gate only ever skips docs with no possible match.
    """

    LEXEME_FLAGS = frozenset(range(1, 64)) - {13}  # bits of LexemeC.flags (13 is spaCy's unused IS_OOV)

    def __init__(self, vocab) -> None:
        self.strings = vocab.strings
        self.columns: dict[tuple[int, int], int] = {}  # (attr id, value) -> column
        self.patterns: list[list[tuple[int, ...]]] = []  # per pattern: the columns each required spec needs
        self.always = False
        self._attrs: list[int] = []
        self._values = None

    def add(self, patterns: list[list[dict]]) -> None:
        for pattern in patterns:
            required = []
            for spec in pattern:
                if isinstance(spec, dict) and spec.get("OP", "+") == "+":
                    cols = self._spec_columns(spec)
                    if cols:
                        required.append(cols)
            if required:
                self.patterns.append(required)
            else:
                self.always = True
        self._values = None

    def _spec_columns(self, spec: dict) -> tuple[int, ...]:
        from spacy.attrs import IDS, LOWER, ORTH

        cols = []
        for key, value in spec.items():
            if not isinstance(key, str) or key.upper() == "OP":
                continue
            name = key.upper()
            attr = IDS.get("ORTH" if name == "TEXT" else name)
            if attr in self.LEXEME_FLAGS and isinstance(value, bool):
                wanted = int(value)
            elif attr in (ORTH, LOWER) and isinstance(value, str):
                wanted = self.strings.add(value)
            else:
                continue  # not read here: a weaker requirement, never a wrong one
            cols.append(self.columns.setdefault((attr, wanted), len(self.columns)))
        return tuple(sorted(set(cols)))

    def may_match(self, doc: Doc) -> bool:
        if self.always or not self.patterns:
            return self.always
        if not len(doc):
            return False
        import numpy

        if self._values is None:
            ordered = sorted(self.columns.items(), key=lambda item: item[1])
            self._attrs = [attr for (attr, _), _ in ordered]
            self._values = numpy.array([value for (_, value), _ in ordered], dtype="uint64")
        eq = doc.to_array(self._attrs).reshape(len(doc), len(self._attrs)) == self._values
        hit = eq.any(axis=0).tolist()
        for required in self.patterns:
            for cols in required:
                if not all(hit[c] for c in cols):
                    break
                if len(cols) > 1 and not eq[:, list(cols)].all(axis=1).any():
                    break
            else:
                return True
        return False


class ConceptMatcher:
    """Marks every concept and cue in a Doc as spans in ``doc.spans``.

    Terms are matched twice, on lower case and on lemma, so "needles" finds "needle"
    while "better than" is not blurred into "well than".
    """

    def __init__(self, nlp: Language, lexicon: Lexicon) -> None:
        from spacy.matcher import Matcher, PhraseMatcher

        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.lemma = PhraseMatcher(nlp.vocab, attr="LEMMA")
        # Patterns are checked as written (same errors as ever) by ``_checker``, then
        # matched with their word-level tests precomputed as lexeme flags (``LexemeFlags``);
        # the flag ids are not in spaCy's pattern schema, hence validate=False.
        self._checker = Matcher(nlp.vocab)
        self.tokens = Matcher(nlp.vocab, validate=False)
        self._flags = LexemeFlags(nlp.vocab)
        self._gate = PatternGate(nlp.vocab)
        self.kind_of: dict[str, str] = {}
        self._labels: dict[int, tuple[int, bool]] = {}  # match id -> (label hash, is a concept)
        from spacy.errors import MatchPatternError

        from claimcheck.core.yamlio import SchemaError

        for item, prefix in [(c, "C") for c in lexicon.concepts.values()] + [(q, "Q") for q in lexicon.cues.values()]:
            try:
                self._add(nlp, f"{prefix}:{item.id}", item.terms, item.patterns, getattr(item, "lemmas", True))
            except MatchPatternError as exc:
                detail = " ".join(str(exc).split())[-160:]
                raise SchemaError(
                    item.source, item.line, f"{item.id}.patterns", f"invalid spaCy pattern: {detail}"
                ) from None

    def _add(self, nlp: Language, key: str, terms: list[str], patterns: list[list[dict]], lemmas: bool = True) -> None:
        if terms:
            # One Doc per term serves both matchers: lemmas do not touch the LOWER attribute.
            docs = [_set_lemmas(nlp.make_doc(t)) for t in terms]
            self.lower.add(key, docs)
            if lemmas:  # a cue of exact words ("lemmas: false") is matched on lower case only
                self.lemma.add(key, docs)
        if patterns:
            self._checker.add(key, patterns)
            compiled = [[self._flags.compile(spec) for spec in pattern] for pattern in patterns]
            self.tokens.add(key, compiled)
            self._gate.add(compiled)

    def token_matches(self, doc: Doc) -> list[tuple[int, int, int]]:
        """What ``self.tokens`` finds in a doc; not run where ``PatternGate`` shows it cannot
        match. Short docs skip the gate: its fixed cost is that of matching a few dozen tokens."""
        if len(doc) < GATE_MIN_TOKENS or self._gate.may_match(doc):
            return self.tokens(doc)
        return []

    def __call__(self, doc: Doc) -> Doc:
        from spacy.tokens import Span

        strings = doc.vocab.strings
        labels = self._labels
        seen: set[tuple[int, int, int]] = set()
        concepts, cues = [], []
        for matcher in (self.lower, self.lemma, self.token_matches):
            for match_id, start, end in matcher(doc):
                if (match_id, start, end) in seen:
                    continue
                seen.add((match_id, start, end))
                known = labels.get(match_id)
                if known is None:
                    key = strings[match_id]
                    known = labels[match_id] = (strings.add(key[2:]), key.startswith("C:"))
                span = Span(doc, start, end, label=known[0])
                (concepts if known[1] else cues).append(span)
        doc.spans[CONCEPTS_KEY] = concepts
        doc.spans[CUES_KEY] = cues
        return doc


def build_pipeline(lexicon: Lexicon) -> Language:
    """spaCy blank English with our lemmas, sentence splitting and matchers."""
    spacy = import_spacy()
    from spacy.language import Language

    nlp = spacy.blank("en")
    if not Language.has_factory("claimcheck_lemmas"):

        @Language.factory("claimcheck_lemmas")
        def _make_lemmatizer(nlp: Language, name: str):  # pragma: no cover - spaCy calls this
            return _Lemmatizer()

    nlp.add_pipe("claimcheck_lemmas")
    if not Language.has_factory("claimcheck_sentences"):

        @Language.factory("claimcheck_sentences")
        def _make_sentencizer(nlp: Language, name: str):  # pragma: no cover - spaCy calls this
            return _Sentencizer()

    nlp.add_pipe("claimcheck_sentences")
    matcher = ConceptMatcher(nlp, lexicon)
    component_name = "claimcheck_matcher"
    if not Language.has_factory(component_name):

        @Language.factory(component_name)
        def _make(nlp: Language, name: str):  # pragma: no cover - spaCy calls this
            return _MatcherHolder()

    holder = nlp.add_pipe(component_name)
    holder.matcher = matcher
    return nlp


class _MatcherHolder:
    """A pipe component whose matcher is attached after creation (it needs the lexicon)."""

    matcher: ConceptMatcher | None = None

    def __call__(self, doc: Doc) -> Doc:
        return self.matcher(doc) if self.matcher else doc
