"""The general wording rules of ``rules/wording.yaml``, as data: their schema, and loading
them validated, with errors that name file, line and key.

Why a module of its own: the rules are data that maintainers edit, with their own schema
and examples. The Checker loads them once, from its rules folder, and hands them to the
rubric; reading a claim against them is claimcheck/judge/wording.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claimcheck.core.records import CLAIM_TYPES, VERDICTS
from claimcheck.core.rule_codes import RULE_CODES
from claimcheck.core.yamlio import SchemaError, check_keys, line_of, load_yaml, require
from claimcheck.knowledge.evidence import BASES, SCOPE_LIMITS
from claimcheck.knowledge.lexicon import CONCEPT_KINDS, Lexicon

WORDING_FILE = "wording.yaml"
EFFECTS = ("statement", "unsupported", "supported", "step_down", "no_lift")
# Cues whose words can lift a verdict; a no_lift rule on one of them cancels just those words.
LIFT_CUES = ("hedge", "limitation", "equivalence")
# The cue ids this module (and the rubric's lifts) read by name (checked against rules/cues.yaml).
REQUIRED_CUES = frozenset(LIFT_CUES)
CONCEPT_FLAGS = ("serious",)

# -- the wording rules, as data ----------------------------------------------------------


@dataclass(frozen=True)
class Condition:
    """The trigger of a wording rule: every key given must hold (``unless`` must not)."""

    cue: str | None = None
    terms: tuple[str, ...] = ()  # as written; compared with a cue's words as lemmas
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


def _names(
    node: dict,
    key: str,
    path: Path,
    where: str,
    allowed: tuple[str, ...] | set[str] | None = None,
    unknown: str = "",
) -> tuple[str, ...]:
    """A string or a list of strings, each (optionally) one of ``allowed``. ``unknown`` names
    what an id outside ``allowed`` is not ("cue ... not in rules/cues.yaml")."""
    value = node[key]
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items:
        raise SchemaError(path, line_of(node, key), f"{where}.{key}", "expected a name or a non-empty list of names")
    for i, item in enumerate(items):
        line = line_of(value, i) if isinstance(value, list) else line_of(node, key)
        if not isinstance(item, str) or not item.strip():
            raise SchemaError(path, line, f"{where}.{key}[{i}]", "expected a non-empty string")
        if allowed is not None and item not in allowed:
            if unknown:
                raise SchemaError(path, line, f"{where}.{key}", unknown.format(item=item))
            raise SchemaError(path, line, f"{where}.{key}", f"{item!r} is not one of: {', '.join(sorted(allowed))}")
    return tuple(items)


UNKNOWN_CUE = "unknown cue {item!r} (not in rules/cues.yaml)"
UNKNOWN_CONCEPT = "unknown concept {item!r} (not in rules/lexicon)"
UNKNOWN_INTERVENTION = "unknown intervention {item!r} (not in rules/lexicon/interventions.yaml)"


def _bool(node: dict, key: str, path: Path, where: str) -> bool:
    value = node[key]
    if not isinstance(value, bool):
        raise SchemaError(path, line_of(node, key), f"{where}.{key}", "expected true or false")
    return value


def _condition(node: Any, path: Path, where: str, lexicon: Lexicon) -> Condition:
    if not isinstance(node, dict) or not node:
        raise SchemaError(path, line_of(node), where, "expected a mapping of trigger keys")
    check_keys(node, WHEN_KEYS, path, where)
    cues, concepts = set(lexicon.cues), set(lexicon.concepts)
    interventions = {c.id for c in lexicon.of_kind("intervention")}
    values: dict[str, Any] = {}
    if "cue" in node:
        values["cue"] = _names(node, "cue", path, where, cues, UNKNOWN_CUE)[0]
        if isinstance(node["cue"], list):
            raise SchemaError(path, line_of(node, "cue"), f"{where}.cue", "expected one cue id")
    for key in ("terms", "terms_except"):
        if key in node:
            if "cue" not in node:
                raise SchemaError(path, line_of(node, key), f"{where}.{key}", "needs a 'cue' to apply to")
            # The rubric compares a cue's words with them as lemmas ("helps" is "help").
            values[key] = tuple(dict.fromkeys(_names(node, key, path, where)))
    if "cue_absent" in node:
        values["cue_absent"] = _names(node, "cue_absent", path, where, cues, UNKNOWN_CUE)
    for key in ("concept", "concept_absent", "except", "entry_concept"):
        if key in node:
            values["except_" if key == "except" else key] = _names(node, key, path, where, concepts, UNKNOWN_CONCEPT)
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
        values["intervention"] = _names(node, "intervention", path, where, interventions, UNKNOWN_INTERVENTION)
    if "unless" in node:
        raw = node["unless"]
        items = raw if isinstance(raw, list) else [raw]
        values["unless"] = tuple(
            _condition(item, path, f"{where}.unless" + (f"[{i}]" if isinstance(raw, list) else ""), lexicon)
            for i, item in enumerate(items)
        )
    return Condition(**values)


def _rule(node: Any, path: Path, where: str, lexicon: Lexicon) -> WordingRule:
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
    if code is not None and (effect != "unsupported" or when.entry == "none"):
        # The rubric gives a finding a rule's own code only when the rule decides the verdict
        # outright; anywhere else the key would be accepted and silently do nothing.
        why = "only effect: unsupported rules (without entry: none) give a finding their own code"
        raise SchemaError(path, line_of(node, "code"), f"{where}.code", why)
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


def load_wording_rules(path: str | Path, lexicon: Lexicon) -> list[WordingRule]:
    """Load and validate ``wording.yaml``; errors name file, line and key. Every cue, concept
    and intervention id a rule names must exist in the lexicon."""
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
