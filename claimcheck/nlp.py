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
from typing import TYPE_CHECKING

from claimcheck.rules import Lexicon

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

LEMMA_TABLE = Path(__file__).resolve().parent / "data" / "en_lemma_lookup.json.gz"
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


class ConceptMatcher:
    """Marks every concept and cue in a Doc as spans in ``doc.spans``.

    Terms are matched twice, on lower case and on lemma, so "needles" finds "needle"
    while "better than" is not blurred into "well than".
    """

    def __init__(self, nlp: Language, lexicon: Lexicon) -> None:
        from spacy.matcher import Matcher, PhraseMatcher

        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.lemma = PhraseMatcher(nlp.vocab, attr="LEMMA")
        self.tokens = Matcher(nlp.vocab)
        self.kind_of: dict[str, str] = {}
        from spacy.errors import MatchPatternError

        from claimcheck.yamlio import SchemaError

        for item, prefix in [(c, "C") for c in lexicon.concepts.values()] + [(q, "Q") for q in lexicon.cues.values()]:
            try:
                self._add(nlp, f"{prefix}:{item.id}", item.terms, item.patterns)
            except MatchPatternError as exc:
                detail = " ".join(str(exc).split())[-160:]
                raise SchemaError(
                    item.source, item.line, f"{item.id}.patterns", f"invalid spaCy pattern: {detail}"
                ) from None

    def _add(self, nlp: Language, key: str, terms: list[str], patterns: list[list[dict]]) -> None:
        if terms:
            lower_docs = [nlp.make_doc(t) for t in terms]
            self.lower.add(key, lower_docs)
            self.lemma.add(key, [_set_lemmas(nlp.make_doc(t)) for t in terms])
        if patterns:
            self.tokens.add(key, patterns)

    def __call__(self, doc: Doc) -> Doc:
        from spacy.tokens import Span

        seen: set[tuple[int, int, int]] = set()
        concepts, cues = [], []
        for matcher in (self.lower, self.lemma, self.tokens):
            for match_id, start, end in matcher(doc):
                if (match_id, start, end) in seen:
                    continue
                seen.add((match_id, start, end))
                key = doc.vocab.strings[match_id]
                span = Span(doc, start, end, label=key[2:])
                (concepts if key.startswith("C:") else cues).append(span)
        doc.spans[CONCEPTS_KEY] = concepts
        doc.spans[CUES_KEY] = cues
        return doc


def build_pipeline(lexicon: Lexicon) -> Language:
    """spaCy blank English with our lemmas, sentence splitting and matchers."""
    import spacy
    from spacy.language import Language

    nlp = spacy.blank("en")
    if not Language.has_factory("claimcheck_lemmas"):
        Language.component("claimcheck_lemmas", func=_set_lemmas)
    nlp.add_pipe("claimcheck_lemmas")
    nlp.add_pipe("sentencizer", config={"punct_chars": [".", "!", "?", "…", "。"]})
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
