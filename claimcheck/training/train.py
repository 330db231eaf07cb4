"""Train and evaluate the claim classifier on the project's corpus.

`claimcheck train` fits on the train split and writes models/ (deterministic: the same
corpus gives byte-identical files). `claimcheck evaluate` reports precision, recall and F1
on the test split, per claim type and for claim/no-claim, overall and separately for the
therapies inside and outside the evidence base, and — when the acceptance annotations are
present — the seeds score with and without the classifier.
"""

from __future__ import annotations

import importlib.util
import json
import platform
from pathlib import Path

from claimcheck.core.errors import MissingExtra
from claimcheck.core.records import CLAIM_TYPES
from claimcheck.detect.classifier import (
    CHAR_SETTINGS,
    LABELS,
    RULE_FEATURE_SCALE,
    WORD_SETTINGS,
    C,
    ClaimClassifier,
    train,
)
from claimcheck.knowledge.lexicon import bundled_dir
from claimcheck.training.corpus import SPLITS, Sentence, corpus_dir, corpus_sha256, load_corpus

# Per-label decision thresholds written into model.json. Thresholds tuned on the dev split
# (or on cross-validation within train) did not carry over to the other one, so every label
# stays at 0.5; see models/README.md. Likewise gating the type labels on the claim label.
DECISION_THRESHOLDS = dict.fromkeys(LABELS, 0.5)
GATE_TYPES_ON_CLAIM = False


def models_dir() -> Path:
    local = Path.cwd() / "models"
    return local if (Path.cwd() / "pyproject.toml").is_file() and local.is_dir() else bundled_dir("models")


def _versions() -> dict[str, str]:
    import numpy
    import scipy
    import sklearn

    return {
        "scikit-learn": sklearn.__version__,
        "numpy": numpy.__version__,
        "scipy": scipy.__version__,
        "python": platform.python_version(),
    }


def rule_features(sentences: list[Sentence]) -> list[dict[str, float]]:
    """What the rules read in each corpus line, read in its document (so a bullet sees
    its lead-in): the same features the Checker hands the model at run time."""
    from claimcheck.core.records import Document, Piece
    from claimcheck.ingest.units import make_unit, mark_leadins
    from claimcheck.pipeline.checker import Checker

    checker = Checker(use_model=False)
    by_doc: dict[str, list[int]] = {}
    for i, sentence in enumerate(sentences):
        by_doc.setdefault(sentence.doc, []).append(i)
    out: list[dict[str, float]] = [{} for _ in sentences]
    for doc_id in sorted(by_doc):
        units, owners, offset, parts = [], [], 0, []
        for i in by_doc[doc_id]:
            text = sentences[i].text
            unit = make_unit("line", [Piece(text, offset, offset + len(text))])
            parts.append(text)
            offset += len(text) + 1
            if unit is not None:
                units.append(unit)
                owners.append(i)
        if not units:
            continue
        mark_leadins(units)
        document = Document(path=doc_id, source="\n".join(parts), fmt="text", units=units)
        docs = list(checker.nlp.pipe(u.text for u in units))
        owner_of = {id(u): i for u, i in zip(units, owners, strict=True)}
        for analysis in checker.extractor.analyze(document, docs, whole_units=True):
            out[owner_of[id(analysis.sentence.unit)]] = analysis.features()
    return out


def require_training_libraries() -> None:
    """Fitting needs scikit-learn and SciPy, which checking text does not, so they are an
    extra; without them `claimcheck train` says in one line what to install."""
    try:
        import scipy.sparse  # noqa: F401
        import sklearn.linear_model  # noqa: F401
    except ImportError as exc:
        raise MissingExtra(
            f"claimcheck train needs scikit-learn and SciPy (cannot import {exc.name or 'them'}): "
            "pip install 'claimcheck[train]' (in a checkout: pip install '.[train]')"
        ) from None


def train_model(corpus: Path | None = None, out: Path | None = None) -> tuple[ClaimClassifier, Path]:
    require_training_libraries()
    corpus = Path(corpus) if corpus else corpus_dir()
    sentences = [s for s in load_corpus(corpus) if s.split == "train"]
    meta = {
        "corpus_sha256": corpus_sha256(corpus),
        "train_sentences": len(sentences),
        "train_documents": len({s.doc for s in sentences}),
        "versions": _versions(),
        "settings": {
            "classifier": "LogisticRegression(solver=liblinear, class_weight=balanced, max_iter=3000, random_state=0)",
            "C": C,
            "rule_feature_scale": RULE_FEATURE_SCALE,
            "word_ngram_range": list(WORD_SETTINGS["ngram_range"]),
            "char_wb_ngram_range": list(CHAR_SETTINGS["ngram_range"]),
        },
    }
    model = train(
        [s.text for s in sentences],
        [list(s.labels) for s in sentences],
        meta,
        rule_features(sentences),
        thresholds=DECISION_THRESHOLDS,
        gate_types=GATE_TYPES_ON_CLAIM,
    )
    out = Path(out) if out else models_dir()
    model.save(out)
    return model, out


def _prf(gold: list[bool], pred: list[bool]) -> dict[str, float]:
    tp = sum(g and p for g, p in zip(gold, pred, strict=True))
    fp = sum(p and not g for g, p in zip(gold, pred, strict=True))
    fn = sum(g and not p for g, p in zip(gold, pred, strict=True))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4), "support": sum(gold)}


def corpus_counts(sentences: list[Sentence]) -> dict:
    """Sentences, documents, claims and label counts per split."""
    out = {}
    for split in SPLITS:
        rows = [s for s in sentences if s.split == split]
        out[split] = {
            "sentences": len(rows),
            "documents": len({s.doc for s in rows}),
            "claims": sum(1 for s in rows if s.labels),
            "labels": {t: sum(1 for s in rows if t in s.labels) for t in CLAIM_TYPES},
        }
    return out


def evidence_interventions(evidence_dirs: list[Path] | None = None) -> set[str]:
    """The interventions the evidence base declares entries for, loaded as the Checker loads
    it (the bundled rules/evidence, then each extra folder)."""
    from claimcheck.knowledge.evidence import EvidenceBase
    from claimcheck.knowledge.lexicon import load_lexicon

    rules = bundled_dir("rules")
    base = EvidenceBase.load(
        [Path(d) for d in evidence_dirs or []],
        known_concepts=set(load_lexicon(rules).concepts),
        rules_dir=rules,
    )
    return {entry.intervention for entry in base.entries.values()}


def _scores(sentences: list[Sentence], predicted) -> dict:
    """Precision, recall and F1 for claim/no-claim and each type; macro-F1 over the types
    with gold support (all four on the whole split; a subset may lack one)."""
    per_label = {}
    for j, label in enumerate(LABELS):
        gold = [bool(s.labels) if label == "claim" else label in s.labels for s in sentences]
        pred = [bool(p[j]) for p in predicted]
        per_label[label] = _prf(gold, pred)
    claim = per_label.pop("claim")
    present = [v["f1"] for v in per_label.values() if v["support"]]
    return {
        "sentences": len(sentences),
        "claim_vs_no_claim": claim,
        "per_type": per_label,
        "macro_f1_types": round(sum(present) / len(present), 4) if present else 0.0,
    }


def evidence_groups(sentences: list[Sentence], inside: set[str]) -> dict[str, list[int]]:
    """Indices of the sentences whose intervention the evidence base covers (`inside`) and
    of the others (`outside`: therapies with no evidence file, and general copy)."""
    groups: dict[str, list[int]] = {"inside": [], "outside": []}
    for i, sentence in enumerate(sentences):
        groups["inside" if sentence.intervention in inside else "outside"].append(i)
    return groups


def evaluate_split(
    model: ClaimClassifier,
    split: str = "test",
    corpus: Path | None = None,
    evidence_dirs: list[Path] | None = None,
) -> dict:
    everything = load_corpus(corpus)
    sentences = [s for s in everything if s.split == split]
    predicted = model.predict([s.text for s in sentences], rule_features(sentences))
    overall = _scores(sentences, predicted)
    result: dict = {"split": split, **overall}
    inside = evidence_interventions(evidence_dirs)
    result["by_evidence"] = {}
    for group, rows in evidence_groups(sentences, inside).items():
        subset = [sentences[i] for i in rows]
        result["by_evidence"][group] = {
            "interventions": sorted({s.intervention for s in subset}),
            "documents": len({s.doc for s in subset}),
            **_scores(subset, [predicted[i] for i in rows]),
        }
    result["decision"] = {
        "thresholds": model.decision_thresholds(),
        "gate_types_on_claim": bool(model.gate_types),
    }
    result["corpus"] = {
        "sha256": corpus_sha256(corpus),
        "splits": corpus_counts(everything),
        "by_evidence": {
            group: corpus_counts([everything[i] for i in rows])
            for group, rows in evidence_groups(everything, inside).items()
        },
    }
    return result


def seeds_scores(shared: Path, model_dir: Path | None = None) -> dict | None:
    """The acceptance score on the seed articles, with and without the classifier (the one
    in model_dir, else the shipped one)."""
    score_py = shared / "acceptance" / "score.py"
    seeds = shared / "seeds"
    if not score_py.is_file() or not seeds.is_dir():
        return None
    spec = importlib.util.spec_from_file_location("claimcheck_acceptance_score", score_py)
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    from claimcheck.pipeline.checker import Checker
    from claimcheck.report.json_report import render_json

    out = {}
    gold = scorer.load_gold(shared / "acceptance" / "seeds.gold.jsonl")
    docs = {p.name for p in seeds.iterdir() if p.is_file()} & {k[0] for k in gold}
    for name, use_model in (("rules_only", False), ("rules_and_classifier", True)):
        checker = Checker(use_model=use_model, model_dir=model_dir)
        report = json.loads(render_json(checker.check_paths([str(seeds)])))
        out[name] = {
            k: (round(v, 4) if isinstance(v, float) else v)
            for k, v in scorer.score(gold, scorer.load_findings(report), docs).items()
        }
    return out
