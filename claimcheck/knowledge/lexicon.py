"""Load the rule data in ``rules/``: concept lexicons and claim/qualifier cues.

Lexicons say *what* copy talks about (interventions, conditions, outcomes, mechanisms,
safety); cues say *how* it makes a claim (verbs, comparatives, hedges, absolutes). Both are
data with one schema each, validated on load.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from claimcheck.core.yamlio import SchemaError, check_keys, line_of, load_yaml, require

CONCEPT_KINDS = ("intervention", "condition", "outcome", "mechanism", "safety", "comparison")


def bundled_dir(name: str) -> Path:
    """Folder of bundled data: inside the installed package, or the repository root."""
    here = Path(__file__).resolve().parents[1]
    installed = here / f"_{name}"
    if installed.is_dir():
        return installed
    return here.parent / name


@dataclass
class Concept:
    id: str
    kind: str
    label: str
    terms: list[str]
    examples: list[str]
    patterns: list[list[dict]] = field(default_factory=list)
    serious: bool = False
    role: str = "subject"  # interventions: "subject" or "comparator"
    evidence: str | None = None
    source: str = ""
    line: int = 0


@dataclass
class Cue:
    id: str
    group: str  # "claim" | "qualifier" | "filter"
    terms: list[str]
    patterns: list[list[dict]]
    examples: list[str]
    counter_examples: list[str]
    description: str
    source: str = ""
    line: int = 0
    lemmas: bool = True  # terms also match by lemma ("relieve" finds "relieves"); False: as written only


@dataclass
class Lexicon:
    concepts: dict[str, Concept]
    cues: dict[str, Cue]
    cue_file: str = ""  # where the cues were read (errors about them name it)

    def of_kind(self, kind: str) -> list[Concept]:
        return [c for c in self.concepts.values() if c.kind == kind]


def missing_cues(lexicon: Lexicon, reader: str, cue_ids: Iterable[str]) -> list[SchemaError]:
    """One error per cue id that code (module ``reader``) reads by name but the cue file
    does not define: renaming or dropping a cue in the data must not silently switch a rule off."""
    where = lexicon.cue_file or "cues.yaml"
    return [
        SchemaError(where, None, reader, f"cue {cue_id!r} is read by the code but not defined in the cue file")
        for cue_id in sorted(set(cue_ids) - set(lexicon.cues))
    ]


def _str_list(node: dict, key: str, path: Path, where: str, required: bool = True) -> list[str]:
    if key not in node and not required:
        return []
    value = require(node, key, list, path, where)
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            raise SchemaError(path, line_of(value, i), f"{where}.{key}[{i}]", "expected a non-empty string")
    return list(value)


def _patterns(node: dict, path: Path, where: str) -> list[list[dict]]:
    if "patterns" not in node:
        return []
    value = require(node, "patterns", list, path, where)
    for i, pattern in enumerate(value):
        if not isinstance(pattern, list) or not all(isinstance(t, dict) for t in pattern):
            raise SchemaError(
                path,
                line_of(value, i),
                f"{where}.patterns[{i}]",
                "expected a list of token mappings (spaCy Matcher pattern)",
            )
    return [list(p) for p in value]


def load_concepts(path: Path) -> list[Concept]:
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise SchemaError(path, None, "", "expected a mapping with 'kind' and 'concepts'")
    check_keys(data, {"kind", "concepts"}, path, "")
    file_kind = require(data, "kind", str, path, "")
    if file_kind not in CONCEPT_KINDS:
        raise SchemaError(path, line_of(data, "kind"), "kind", f"must be one of {', '.join(CONCEPT_KINDS)}")
    items = require(data, "concepts", list, path, "")
    out = []
    allowed = {"id", "label", "terms", "examples", "patterns", "serious", "role", "evidence", "kind"}
    for i, item in enumerate(items):
        where = f"concepts[{i}]"
        if not isinstance(item, dict):
            raise SchemaError(path, line_of(items, i), where, "expected a mapping")
        check_keys(item, allowed, path, where)
        cid = require(item, "id", str, path, where)
        kind = item.get("kind", file_kind)
        if kind not in CONCEPT_KINDS:
            raise SchemaError(
                path, line_of(item, "kind"), f"{where}.kind", f"must be one of {', '.join(CONCEPT_KINDS)}"
            )
        examples = _str_list(item, "examples", path, where)
        if not examples:
            raise SchemaError(path, line_of(item, "examples"), f"{where}.examples", "needs at least one example")
        role = item.get("role", "subject")
        if role not in ("subject", "comparator"):
            raise SchemaError(path, line_of(item, "role"), f"{where}.role", "must be subject or comparator")
        out.append(
            Concept(
                id=cid,
                kind=kind,
                label=str(item.get("label", cid)),
                terms=_str_list(item, "terms", path, where),
                examples=examples,
                patterns=_patterns(item, path, where),
                serious=bool(item.get("serious", False)),
                role=role,
                evidence=item.get("evidence"),
                source=str(path),
                line=line_of(item) or 0,
            )
        )
    return out


def load_cues(path: Path) -> list[Cue]:
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise SchemaError(path, None, "", "expected a mapping with 'cues'")
    check_keys(data, {"cues"}, path, "")
    items = require(data, "cues", list, path, "")
    out = []
    allowed = {"id", "group", "terms", "patterns", "examples", "counter_examples", "description", "lemmas"}
    for i, item in enumerate(items):
        where = f"cues[{i}]"
        if not isinstance(item, dict):
            raise SchemaError(path, line_of(items, i), where, "expected a mapping")
        check_keys(item, allowed, path, where)
        group = require(item, "group", str, path, where)
        if group not in ("claim", "qualifier", "filter"):
            raise SchemaError(path, line_of(item, "group"), f"{where}.group", "must be claim, qualifier or filter")
        terms = _str_list(item, "terms", path, where, required=False)
        patterns = _patterns(item, path, where)
        if not terms and not patterns:
            raise SchemaError(path, line_of(item), where, "needs terms or patterns")
        examples = _str_list(item, "examples", path, where)
        if not examples:
            raise SchemaError(path, line_of(item, "examples"), f"{where}.examples", "needs at least one example")
        lemmas = item.get("lemmas", True)
        if not isinstance(lemmas, bool):
            raise SchemaError(path, line_of(item, "lemmas"), f"{where}.lemmas", "expected true or false")
        out.append(
            Cue(
                id=require(item, "id", str, path, where),
                group=group,
                terms=terms,
                patterns=patterns,
                examples=examples,
                counter_examples=_str_list(item, "counter_examples", path, where, required=False),
                description=str(item.get("description", "")),
                source=str(path),
                line=line_of(item) or 0,
                lemmas=lemmas,
            )
        )
    return out


def load_lexicon(rules_dir: Path | None = None) -> Lexicon:
    """Load every lexicon file and the cue file; ids must be unique."""
    rules_dir = rules_dir or bundled_dir("rules")
    concepts: dict[str, Concept] = {}
    for path in sorted((rules_dir / "lexicon").glob("*.yaml")):
        for concept in load_concepts(path):
            if concept.id in concepts:
                other = concepts[concept.id]
                raise SchemaError(
                    path, concept.line, "id", f"duplicate concept id {concept.id!r} (also {other.source}:{other.line})"
                )
            concepts[concept.id] = concept
    cues: dict[str, Cue] = {}
    cue_path = rules_dir / "cues.yaml"
    for cue in load_cues(cue_path):
        if cue.id in cues:
            raise SchemaError(cue_path, cue.line, "id", f"duplicate cue id {cue.id!r}")
        cues[cue.id] = cue
    return Lexicon(concepts=concepts, cues=cues, cue_file=str(cue_path))
