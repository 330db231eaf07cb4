"""The general wording rules of ``rules/wording.yaml``: loading them (validated, with errors
that name file, line and key) and reading a claim against them.

Why a module of its own: the rules are data that maintainers edit, with their own schema
and examples; the rubric (claimcheck/judge/rubric.py) only asks which rules fire for a claim and
turns that into a verdict.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path
from typing import Any

from claimcheck.core.records import CLAIM_TYPES, VERDICTS, Claim, Qualifiers
from claimcheck.core.rule_codes import RULE_CODES
from claimcheck.core.yamlio import SchemaError, check_keys, line_of, load_yaml, require
from claimcheck.ingest.normalise import matching_text
from claimcheck.knowledge.evidence import BASES, SCOPE_LIMITS, EvidenceEntry
from claimcheck.knowledge.lexicon import CONCEPT_KINDS, Lexicon, bundled_dir

WORDING_FILE = "wording.yaml"
EFFECTS = ("statement", "unsupported", "supported", "step_down", "no_lift")
# Cues whose words can lift a verdict; a no_lift rule on one of them cancels just those words.
LIFT_CUES = ("hedge", "limitation", "equivalence")
QUALIFIER_FIELDS = tuple(f.name for f in fields(Qualifiers))
CONCEPT_FLAGS = ("serious",)

# -- the wording rules, as data ----------------------------------------------------------


@dataclass(frozen=True)
class Condition:
    """The trigger of a wording rule: every key given must hold (``unless`` must not)."""

    cue: str | None = None
    terms: tuple[str, ...] = ()  # as lemmas (_norm)
    terms_except: tuple[str, ...] = ()
    cue_absent: tuple[str, ...] = ()
    concept: tuple[str, ...] = ()
    concept_absent: tuple[str, ...] = ()
    concept_flag: str | None = None
    concept_kind: tuple[str, ...] = ()
    except_: tuple[str, ...] = ()
    scope_limit: str | None = None
    entry: str | None = None  # "none" | "any"
    entry_verdict: tuple[str, ...] = ()
    entry_basis: tuple[str, ...] = ()
    entry_concept: tuple[str, ...] = ()  # the matched entry's match lists name one of these
    human_signal: bool | None = None
    in_list: bool | None = None
    intervention: tuple[str, ...] = ()
    unless: tuple[Condition, ...] = ()  # the rule does not fire when any of these holds


@dataclass(frozen=True)
class WordingExample:
    text: str
    verdict: str
    line: int = 0


@dataclass(frozen=True)
class WordingRule:
    id: str
    applies_to: tuple[str, ...]
    when: Condition
    effect: str
    label: str
    reason: str
    source_ref: str
    source_url: str
    examples: tuple[WordingExample, ...]
    kind: str = ""  # step_down rules of one kind count as one step
    cancels: tuple[str, ...] = ()  # no_lift rules: the lift cues they cancel, or ("all",)
    code: str | None = None  # a rule code of its own (RULE_CODES), else the claim type's
    suggestion: str | None = None
    source: str = ""
    line: int = 0

    @property
    def tag(self) -> str:
        """How the rule signs the reasons it writes."""
        return f"[{self.id}]"


RULE_KEYS = {
    "id",
    "applies_to",
    "when",
    "effect",
    "label",
    "kind",
    "cancels",
    "code",
    "reason",
    "suggestion",
    "source",
    "examples",
}
WHEN_KEYS = {
    "cue",
    "terms",
    "terms_except",
    "cue_absent",
    "concept",
    "concept_absent",
    "concept_flag",
    "concept_kind",
    "except",
    "scope_limit",
    "entry",
    "entry_verdict",
    "entry_basis",
    "entry_concept",
    "human_signal",
    "in_list",
    "intervention",
    "unless",
}
ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")


def _text(node: dict, key: str, path: Path, where: str) -> str:
    value = require(node, key, str, path, where)
    if not value.strip():
        raise SchemaError(path, line_of(node, key), f"{where}.{key}", "must not be empty")
    return value.strip()


def _names(node: dict, key: str, path: Path, where: str, allowed: tuple[str, ...] | set[str] | None = None):
    """A string or a list of strings, each (optionally) one of ``allowed``."""
    value = node[key]
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items:
        raise SchemaError(path, line_of(node, key), f"{where}.{key}", "expected a name or a non-empty list of names")
    for i, item in enumerate(items):
        if not isinstance(item, str) or not item.strip():
            raise SchemaError(path, line_of(node, key), f"{where}.{key}[{i}]", "expected a non-empty string")
        if allowed is not None and item not in allowed:
            shown = ", ".join(sorted(allowed)) if len(allowed) <= 12 else "see docs/rubric.md"
            raise SchemaError(path, line_of(node, key), f"{where}.{key}", f"{item!r} is not one of: {shown}")
    return tuple(items)


def _bool(node: dict, key: str, path: Path, where: str) -> bool:
    value = node[key]
    if not isinstance(value, bool):
        raise SchemaError(path, line_of(node, key), f"{where}.{key}", "expected true or false")
    return value


def _condition(node: Any, path: Path, where: str, lexicon: Lexicon | None) -> Condition:
    if not isinstance(node, dict) or not node:
        raise SchemaError(path, line_of(node), where, "expected a mapping of trigger keys")
    check_keys(node, WHEN_KEYS, path, where)
    cues = set(lexicon.cues) if lexicon else None
    concepts = set(lexicon.concepts) if lexicon else None
    interventions = {c.id for c in lexicon.of_kind("intervention")} if lexicon else None
    values: dict[str, Any] = {}
    if "cue" in node:
        values["cue"] = _names(node, "cue", path, where, cues)[0]
        if isinstance(node["cue"], list):
            raise SchemaError(path, line_of(node, "cue"), f"{where}.cue", "expected one cue id")
    for key in ("terms", "terms_except"):
        if key in node:
            if "cue" not in node:
                raise SchemaError(path, line_of(node, key), f"{where}.{key}", "needs a 'cue' to apply to")
            # Stored as lemmas: the rubric compares a cue's words with them as lemmas.
            values[key] = tuple(dict.fromkeys(_norm(t) for t in _names(node, key, path, where)))
    if "cue_absent" in node:
        values["cue_absent"] = _names(node, "cue_absent", path, where, cues)
    for key in ("concept", "concept_absent", "except", "entry_concept"):
        if key in node:
            values["except_" if key == "except" else key] = _names(node, key, path, where, concepts)
    if "concept_flag" in node:
        values["concept_flag"] = _names(node, "concept_flag", path, where, CONCEPT_FLAGS)[0]
    if "concept_kind" in node:
        values["concept_kind"] = _names(node, "concept_kind", path, where, CONCEPT_KINDS)
    if "except" in node and "concept_kind" not in node:
        raise SchemaError(path, line_of(node, "except"), f"{where}.except", "needs a 'concept_kind' to apply to")
    if "scope_limit" in node:
        values["scope_limit"] = _names(node, "scope_limit", path, where, SCOPE_LIMITS)[0]
    if "entry" in node:
        values["entry"] = _names(node, "entry", path, where, ("none", "any"))[0]
    if "entry_verdict" in node:
        values["entry_verdict"] = _names(node, "entry_verdict", path, where, VERDICTS)
    if "entry_basis" in node:
        values["entry_basis"] = _names(node, "entry_basis", path, where, BASES)
    for key in ("human_signal", "in_list"):
        if key in node:
            values[key] = _bool(node, key, path, where)
    if "intervention" in node:
        values["intervention"] = _names(node, "intervention", path, where, interventions)
    if "unless" in node:
        raw = node["unless"]
        items = raw if isinstance(raw, list) else [raw]
        values["unless"] = tuple(
            _condition(item, path, f"{where}.unless" + (f"[{i}]" if isinstance(raw, list) else ""), lexicon)
            for i, item in enumerate(items)
        )
    return Condition(**values)


def _rule(node: Any, path: Path, where: str, lexicon: Lexicon | None) -> WordingRule:
    if not isinstance(node, dict):
        raise SchemaError(path, line_of(node), where, "expected a mapping")
    check_keys(node, RULE_KEYS, path, where)
    rid = _text(node, "id", path, where)
    if not ID_RE.match(rid):
        raise SchemaError(path, line_of(node, "id"), f"{where}.id", "use lower case, digits and underscores")
    require(node, "applies_to", list, path, where)
    applies_to = _names(node, "applies_to", path, where, CLAIM_TYPES)
    effect = _text(node, "effect", path, where)
    if effect not in EFFECTS:
        raise SchemaError(
            path, line_of(node, "effect"), f"{where}.effect", f"{effect!r} is not one of: {', '.join(EFFECTS)}"
        )
    when = _condition(require(node, "when", dict, path, where), path, f"{where}.when", lexicon)
    kind = _text(node, "kind", path, where) if "kind" in node else ""
    if kind and effect != "step_down":
        raise SchemaError(path, line_of(node, "kind"), f"{where}.kind", "only step_down rules have a kind")
    cancels: tuple[str, ...] = ()
    if "cancels" in node:
        if effect != "no_lift":
            raise SchemaError(path, line_of(node, "cancels"), f"{where}.cancels", "only no_lift rules cancel lifts")
        cancels = _names(node, "cancels", path, where, (*LIFT_CUES, "all"))
    elif effect == "no_lift":
        cancels = (when.cue,) if when.cue in LIFT_CUES else ("all",)
    code = _text(node, "code", path, where) if "code" in node else None
    if code is not None and code not in RULE_CODES.values():
        raise SchemaError(path, line_of(node, "code"), f"{where}.code", f"{code!r} is not a rule code (docs/rules.md)")
    source = require(node, "source", dict, path, where)
    check_keys(source, {"ref", "url"}, path, f"{where}.source")
    url = _text(source, "url", path, f"{where}.source")
    if not url.startswith(("https://", "http://")):
        raise SchemaError(path, line_of(source, "url"), f"{where}.source.url", "must be an http(s) URL")
    raw_examples = node.get("examples")
    if not isinstance(raw_examples, list) or not raw_examples:
        raise SchemaError(
            path, line_of(node, "examples"), f"{where}.examples", "needs at least one example {text, verdict}"
        )
    examples = []
    for i, ex in enumerate(raw_examples):
        w = f"{where}.examples[{i}]"
        if not isinstance(ex, dict):
            raise SchemaError(path, line_of(raw_examples, i), w, "expected {text, verdict}")
        check_keys(ex, {"text", "verdict"}, path, w)
        verdict = _text(ex, "verdict", path, w)
        if verdict not in VERDICTS:
            raise SchemaError(
                path, line_of(ex, "verdict"), f"{w}.verdict", f"{verdict!r} is not one of: {', '.join(VERDICTS)}"
            )
        examples.append(WordingExample(text=_text(ex, "text", path, w), verdict=verdict, line=line_of(ex) or 0))
    return WordingRule(
        id=rid,
        applies_to=applies_to,
        when=when,
        effect=effect,
        label=_text(node, "label", path, where),
        reason=_text(node, "reason", path, where),
        source_ref=_text(source, "ref", path, f"{where}.source"),
        source_url=url,
        examples=tuple(examples),
        kind=kind or rid,
        cancels=cancels,
        code=code,
        suggestion=_text(node, "suggestion", path, where) if "suggestion" in node else None,
        source=str(path),
        line=line_of(node) or 0,
    )


def load_wording_rules(path: str | Path, lexicon: Lexicon | None = None) -> list[WordingRule]:
    """Load and validate ``wording.yaml``; errors name file, line and key. With a lexicon,
    cue, concept and intervention ids must exist in it."""
    path = Path(path)
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise SchemaError(path, None, "", "expected a mapping with 'rules'")
    check_keys(data, {"rules"}, path, "")
    items = require(data, "rules", list, path, "")
    rules: list[WordingRule] = []
    seen: dict[str, WordingRule] = {}
    for i, item in enumerate(items):
        rule = _rule(item, path, f"rules[{i}]", lexicon)
        if rule.id in seen:
            raise SchemaError(
                path, rule.line, f"rules[{i}].id", f"duplicate rule id {rule.id!r} (also line {seen[rule.id].line})"
            )
        seen[rule.id] = rule
        rules.append(rule)
    return rules


def wording_path(lexicon: Lexicon) -> Path:
    """``wording.yaml`` beside the lexicon's cue file (the Checker's rules folder)."""
    for cue in lexicon.cues.values():
        if cue.source:
            candidate = Path(cue.source).parent / WORDING_FILE
            if candidate.is_file():
                return candidate
            break
    return bundled_dir("rules") / WORDING_FILE


_RULES_CACHE: dict[int, tuple[Lexicon, list[WordingRule]]] = {}


def wording_rules(lexicon: Lexicon) -> list[WordingRule]:
    """The wording rules for a lexicon, loaded and validated once per lexicon."""
    cached = _RULES_CACHE.get(id(lexicon))
    if cached is not None and cached[0] is lexicon:
        return cached[1]
    rules = load_wording_rules(wording_path(lexicon), lexicon)
    if len(_RULES_CACHE) > 16:
        _RULES_CACHE.clear()
    _RULES_CACHE[id(lexicon)] = (lexicon, rules)
    return rules


# -- reading a claim against a rule ------------------------------------------------------

_TOKEN_RE = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?|[^\sa-z0-9]")


def _tokens(text: str) -> list[str]:
    return _TOKEN_RE.findall(text.lower().replace("’", "'"))


@lru_cache(maxsize=16384)
def _lemma(word: str) -> str:
    """The same lemma the spaCy pipeline gives a word (claimcheck.nlp.engine's lookup table)."""
    from claimcheck.nlp.engine import lemma_of

    return lemma_of(word)


@lru_cache(maxsize=4096)
def _norm(words: str) -> str:
    """A phrase as lemmas, so "helps" and "help" compare equal."""
    return " ".join(_lemma(t) for t in _tokens(words))


_TERM_CACHE: dict[tuple[int, str], tuple[Any, dict[str, list[tuple[str, ...]]]]] = {}


def _term_index(lexicon: Lexicon, cue_id: str) -> dict[str, list[tuple[str, ...]]]:
    """A cue's terms as token tuples (lower case and lemmas), indexed by their first token."""
    key = (id(lexicon), cue_id)
    cached = _TERM_CACHE.get(key)
    if cached is not None and cached[0] is lexicon:
        return cached[1]
    index: dict[str, list[tuple[str, ...]]] = {}
    for term in lexicon.cues[cue_id].terms:
        lower = tuple(_tokens(term))
        if not lower:
            continue
        for form in dict.fromkeys((lower, tuple(_lemma(t) for t in lower))):  # ordered: reports are reproducible
            index.setdefault(form[0], []).append(form)
    if len(_TERM_CACHE) > 256:
        _TERM_CACHE.clear()
    _TERM_CACHE[key] = (lexicon, index)
    return index


def _match_terms(index: dict[str, list[tuple[str, ...]]], toks: list[str], lemmas: list[str]) -> list[str]:
    """Words of a text (as tokens and lemmas) that a cue's terms match."""
    found: list[str] = []
    for i in range(len(toks)):
        for first in dict.fromkeys((toks[i], lemmas[i])):  # ordered, not a set: same words, same order, every run
            for term in index.get(first, ()):
                n = len(term)
                if tuple(lemmas[i : i + n]) == term or tuple(toks[i : i + n]) == term:
                    words = " ".join(toks[i : i + n])
                    if words not in found:
                        found.append(words)
    return found


def _as_written(words: str, text: str) -> str:
    """Matched tokens ("drug - free") as the claim writes them ("drug-free"), lower case."""
    parts = words.split(" ")
    m = re.search(r"(?<!\w)" + r"\s*".join(re.escape(p) for p in parts) + r"(?!\w)", text.replace("’", "'"), re.I)
    return " ".join(m.group(0).lower().split()) if m else words


@dataclass
class _Context:
    claim: Claim
    entry: EvidenceEntry | None
    lexicon: Lexicon
    concepts: set[str] = field(default_factory=set)
    _cue_cache: dict[str, list[str]] = field(default_factory=dict)
    _toks: list[str] | None = None
    _lemmas: list[str] | None = None

    def cue_words(self, cue_id: str) -> list[str]:
        if cue_id in QUALIFIER_FIELDS:
            return getattr(self.claim.qualifiers, cue_id)
        if cue_id not in self._cue_cache:
            words: list[str] = []
            if cue_id in self.lexicon.cues:
                if self._toks is None:
                    self._toks = _tokens(matching_text(self.claim.text))  # as matched (normalise.py)
                    self._lemmas = [_lemma(t) for t in self._toks]
                words = _match_terms(_term_index(self.lexicon, cue_id), self._toks, self._lemmas or [])
                words = [_as_written(w, self.claim.text) for w in words]
            self._cue_cache[cue_id] = words
        return self._cue_cache[cue_id]

    def label(self, concept_id: str) -> str:
        concept = self.lexicon.concepts.get(concept_id)
        return concept.label if concept else concept_id


def _fires(cond: Condition, ctx: _Context) -> tuple[bool, list[str]]:
    """Whether a condition holds, and what triggered it (cue words or concept labels)."""
    # Cheap tests on the entry and the claim first; cue words (text matching) last.
    entry = ctx.entry
    if cond.scope_limit is not None and (entry is None or cond.scope_limit not in entry.scope_limits):
        return False, []
    if cond.entry == "none" and entry is not None:
        return False, []
    if cond.entry == "any" and entry is None:
        return False, []
    if cond.entry_verdict and (entry is None or entry.verdict not in cond.entry_verdict):
        return False, []
    if cond.entry_basis and (entry is None or entry.basis not in cond.entry_basis):
        return False, []
    if cond.entry_concept and (
        entry is None or not any(c in entry.match_all or c in entry.match_any for c in cond.entry_concept)
    ):
        return False, []
    if cond.human_signal is not None and (entry is not None and entry.human_signal) != cond.human_signal:
        return False, []
    if cond.in_list is not None and ctx.claim.in_list != cond.in_list:
        return False, []
    if cond.intervention and ctx.claim.intervention not in cond.intervention:
        return False, []
    if any(c in ctx.concepts for c in cond.concept_absent):
        return False, []
    shown: list[str] = []
    if cond.concept:
        hits = [c for c in cond.concept if c in ctx.concepts]
        if not hits:
            return False, []
        shown.extend(ctx.label(c) for c in hits[:3])
    if cond.concept_flag == "serious":
        hits = [c for c in sorted(ctx.concepts) if c in ctx.lexicon.concepts and ctx.lexicon.concepts[c].serious]
        if not hits:
            return False, []
        shown.extend(ctx.label(c) for c in hits[:3])
    if cond.concept_kind:
        hits = [
            c
            for c in sorted(ctx.concepts)
            if c in ctx.lexicon.concepts and ctx.lexicon.concepts[c].kind in cond.concept_kind and c not in cond.except_
        ]
        if not hits:
            return False, []
        shown.extend(ctx.label(c) for c in hits[:3] if ctx.label(c) not in shown)
    if cond.cue is not None:
        words = _cue_hits(cond, ctx)
        if not words:
            return False, []
        shown[:0] = [f"'{w}'" for w in words[:3]]
    if any(ctx.cue_words(c) for c in cond.cue_absent):
        return False, []
    if any(_fires(other, ctx)[0] for other in cond.unless):
        return False, []
    return True, shown


def _cue_hits(cond: Condition, ctx: _Context) -> list[str]:
    """The words of a condition's cue in the claim, kept to its terms (or terms_except)."""
    if cond.cue is None:
        return []
    words = ctx.cue_words(cond.cue)
    if cond.terms:
        words = [w for w in words if _norm(w) in cond.terms]
    if cond.terms_except:
        words = [w for w in words if _norm(w) not in cond.terms_except]
    return words


@dataclass
class _Fired:
    rule: WordingRule
    shown: list[str]
    words: list[str]  # the cue words that triggered it (for no_lift on a lift cue)

    def reason(self, tail: str = "") -> str:
        what = self.rule.label + (f" ({', '.join(self.shown)})" if self.shown else "")
        return f"{what}: {self.rule.reason} {self.rule.tag}{tail}"


def _fired_rules(claim: Claim, entry: EvidenceEntry | None, lexicon: Lexicon) -> list[_Fired]:
    """The wording rules that hold for a claim judged against an entry (or none)."""
    ctx = _Context(claim=claim, entry=entry, lexicon=lexicon, concepts=set(claim.concepts))
    out = []
    for rule in wording_rules(lexicon):
        if claim.claim_type not in rule.applies_to:
            continue
        ok, shown = _fires(rule.when, ctx)
        if ok:
            out.append(_Fired(rule=rule, shown=shown, words=_cue_hits(rule.when, ctx)))
    return out
