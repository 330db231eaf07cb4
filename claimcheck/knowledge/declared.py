"""Therapies users add themselves: an evidence file may declare its intervention.

In a bundled file ``intervention:`` is the id of a concept in rules/lexicon/interventions.yaml.
A file of one's own (``--evidence DIR`` or ``evidence = [...]`` in claimcheck.toml) may instead
declare the therapy it covers::

    intervention:
      id: flotation                       # lower case, digits, underscores
      label: flotation therapy            # how reports name it
      aliases: [flotation therapy, float tank, float pod, sensory deprivation tank]
      patterns: []                        # optional spaCy Matcher token patterns
      examples: ["Our float pod room opens at nine."]   # optional; must name the therapy

For that run the therapy joins the matcher (its aliases and patterns are found in copy like any
bundled therapy) and its entries are matched to its claims; the installed package is never
touched. Declaring an id the lexicon already has adds the aliases to it. docs/evidence-schema.md
has a worked example.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from pathlib import Path

from claimcheck.core.yamlio import SchemaError, check_keys, line_of, load_yaml, require
from claimcheck.knowledge.lexicon import Concept, Lexicon, load_lexicon

DECLARATION_KEYS = {"id", "label", "aliases", "patterns", "examples"}
DECLARED_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")


def evidence_files(paths: Iterable[str | Path]) -> list[Path]:
    """The evidence files of folders (``*.yaml``, sorted) and of files given directly."""
    files: list[Path] = []
    for p in paths:
        p = Path(p)
        files.extend(sorted(p.glob("*.yaml")) if p.is_dir() else [p] if p.is_file() else [])
    return files


def intervention_of(data: dict, path: Path) -> tuple[str, dict | None]:
    """The intervention id of a loaded evidence file, and its declaration (None for a bare id)."""
    node = require(data, "intervention", (str, dict), path, "")
    if isinstance(node, str):
        if not node.strip():
            raise SchemaError(path, line_of(data, "intervention"), "intervention", "must not be empty")
        return node.strip(), None
    ident = require(node, "id", str, path, "intervention")
    return ident.strip(), node


def _strings(node: dict, key: str, path: Path, where: str) -> list[str]:
    value = require(node, key, list, path, where)
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            raise SchemaError(path, line_of(value, i), f"{where}.{key}[{i}]", "expected a non-empty string")
    return [item.strip() for item in value]


def parse_declaration(node: dict, path: Path) -> Concept:
    """A declared intervention as a lexicon concept; errors name file, line and key."""
    where = "intervention"
    check_keys(node, DECLARATION_KEYS, path, where)
    ident = require(node, "id", str, path, where).strip()
    if not DECLARED_ID_RE.match(ident):
        raise SchemaError(path, line_of(node, "id"), f"{where}.id", "use lower case, digits and underscores")
    label = require(node, "label", str, path, where).strip()
    if not label:
        raise SchemaError(path, line_of(node, "label"), f"{where}.label", "must not be empty")
    aliases = _strings(node, "aliases", path, where) if "aliases" in node else []
    patterns = require(node, "patterns", list, path, where) if "patterns" in node else []
    for i, pattern in enumerate(patterns):
        if not isinstance(pattern, list) or not pattern or not all(isinstance(t, dict) for t in pattern):
            raise SchemaError(path, line_of(patterns, i), f"{where}.patterns[{i}]", "expected a list of token mappings")
    if not aliases and not patterns:
        raise SchemaError(path, line_of(node), where, "a declared intervention needs aliases or patterns")
    examples = _strings(node, "examples", path, where) if "examples" in node else []
    return Concept(
        id=ident,
        kind="intervention",
        label=label,
        terms=list(dict.fromkeys(a.lower() for a in aliases)),
        examples=examples,
        patterns=[list(p) for p in patterns],
        role="subject",
        evidence=ident,
        source=str(path),
        line=line_of(node) or 0,
    )


def read_declarations(paths: Iterable[str | Path]) -> list[Concept]:
    """The interventions declared by the evidence files of ``paths`` (files or folders)."""
    out: list[Concept] = []
    for path in evidence_files(paths):
        data = load_yaml(path)
        if not isinstance(data, dict) or "intervention" not in data:
            continue  # the evidence loader reports the file's own errors
        _, node = intervention_of(data, path)
        if node is not None:
            out.append(parse_declaration(node, path))
    return out


def with_declared(lexicon: Lexicon, declared: list[Concept]) -> Lexicon:
    """The lexicon plus declared interventions (a new Lexicon; the bundled one is untouched).
    An id the lexicon already has as an intervention gains the declared aliases and patterns;
    an id it has as another kind of concept is an error."""
    if not declared:
        return lexicon
    concepts = dict(lexicon.concepts)
    for concept in declared:
        known = concepts.get(concept.id)
        if known is None:
            concepts[concept.id] = concept
            continue
        if known.kind != "intervention" or known.role != "subject":
            raise SchemaError(
                concept.source,
                concept.line,
                "intervention.id",
                f"{concept.id!r} is already a {known.kind} concept ({known.source}:{known.line}), not a therapy",
            )
        concepts[concept.id] = dataclasses.replace(
            known,
            terms=list(dict.fromkeys([*known.terms, *concept.terms])),
            patterns=[*known.patterns, *concept.patterns],
            examples=[*known.examples, *concept.examples],
        )
    return Lexicon(concepts=concepts, cues=lexicon.cues, cue_file=lexicon.cue_file)


def lexicon_for(evidence_paths: Iterable[str | Path] = (), rules_dir: Path | None = None) -> Lexicon:
    """The bundled (or ``rules_dir``) lexicon with the interventions declared in evidence paths."""
    return with_declared(load_lexicon(rules_dir), read_declarations(evidence_paths))
