"""The trained claim detector: deterministic training, plain-data persistence, verified loading."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import numpy as np
import pytest
from conftest import REPO, one_line_error

from claimcheck.detect import classifier
from claimcheck.detect.classifier import LABELS, RULE_FEATURE_SCALE, ClaimClassifier, ModelError, rule_matrix, train
from claimcheck.knowledge.lexicon import bundled_dir
from claimcheck.training.corpus import CorpusError, load_corpus, split_of

SMALL_CORPUS = [
    {
        "doc": "t1",
        "register": "web",
        "intervention": "dry_needling",
        "text": "Dry needling eases neck pain.",
        "labels": ["efficacy"],
    },
    {
        "doc": "t1",
        "register": "web",
        "intervention": "dry_needling",
        "text": "Sessions cost forty pounds.",
        "labels": [],
    },
    {
        "doc": "t2",
        "register": "faq",
        "intervention": "cupping",
        "text": "Cupping draws toxins out of the body.",
        "labels": ["mechanism"],
    },
    {
        "doc": "t2",
        "register": "faq",
        "intervention": "cupping",
        "text": "Cupping is completely safe.",
        "labels": ["safety"],
    },
    {
        "doc": "t3",
        "register": "blog",
        "intervention": "massage",
        "text": "Massage beats painkillers for back pain.",
        "labels": ["comparative", "efficacy"],
    },
    {"doc": "t3", "register": "blog", "intervention": "massage", "text": "Book online today.", "labels": []},
]


def _write_corpus(folder, records):
    folder.mkdir(parents=True, exist_ok=True)
    # Put every small document in the train split so training has data.
    (folder / "small.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return folder


def test_split_is_by_document_and_stable():
    assert split_of("a_dry_needling_01") == split_of("a_dry_needling_01")
    sentences = load_corpus(REPO / "corpus" / "docs")
    by_doc: dict[str, set[str]] = {}
    for s in sentences:
        by_doc.setdefault(s.doc, set()).add(s.split)
    assert all(len(splits) == 1 for splits in by_doc.values())
    assert {s.split for s in sentences} == {"train", "dev", "test"}
    assert len(sentences) >= 2500


def test_corpus_schema_errors_name_file_and_line(tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "bad.jsonl").write_text(
        '{"doc": "x", "register": "web", "intervention": "x", "text": "t", "labels": ["effective"]}\n', encoding="utf-8"
    )
    with pytest.raises(CorpusError, match=r"bad.jsonl:1: labels"):
        load_corpus(folder)


def test_training_is_deterministic_and_loads_without_pickle(tmp_path, cli):
    records = [dict(r, doc=d) for r in SMALL_CORPUS for d in ("zz_a",) if split_of(d) == "train"]
    if not records:
        records = [dict(r, doc=f"{r['doc']}_{i}") for i in range(20) for r in SMALL_CORPUS]
    corpus = _write_corpus(tmp_path / "corpus", records)
    first, second = tmp_path / "m1", tmp_path / "m2"
    for out in (first, second):
        result = cli("train", "--corpus", str(corpus), "--out", str(out))
        assert result.returncode == 0, result.stderr
    for name in ("model.json", "weights.npz", "manifest.json"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    with np.load(first / "weights.npz", allow_pickle=False) as npz:
        assert set(npz.files) == {"word_idf", "char_idf", "coef", "intercept"}
    model = ClaimClassifier.load(first)
    probs = model.predict_proba(["Dry needling eases neck pain."])
    assert probs.shape == (1, len(LABELS))


def test_tampered_model_is_a_one_line_error(tmp_path, cli):
    folder = tmp_path / "model"
    shutil.copytree(bundled_dir("models"), folder)
    model = json.loads((folder / "model.json").read_text("utf-8"))
    model["meta"]["train_sentences"] = 1
    (folder / "model.json").write_text(json.dumps(model), "utf-8")
    with pytest.raises(ModelError, match="checksum"):
        ClaimClassifier.load(folder)
    out = cli("check", str(REPO / "examples" / "clinic-page.md"), "--model-dir", str(folder))
    assert out.returncode == 2
    err = out.stderr.decode().strip()
    assert len(err.splitlines()) == 1 and "checksum" in err and "Traceback" not in err


def test_findings_carry_confidence_and_min_confidence_drops_weak_ones(cli):
    import json as _json

    page = str(REPO / "examples" / "clinic-page.md")
    full = _json.loads(cli("check", page, "--format", "json", "--fail-on", "never").stdout)
    confidences = [f["confidence"] for f in full["files"][0]["findings"]]
    assert confidences and all(0.0 <= c <= 1.0 for c in confidences)
    cut = sorted(confidences)[len(confidences) // 2]
    some = _json.loads(
        cli("check", page, "--format", "json", "--fail-on", "never", "--min-confidence", str(cut)).stdout
    )
    kept = [f["confidence"] for f in some["files"][0]["findings"]]
    assert kept == [c for c in confidences if c >= cut]


def test_shipped_model_metrics_file_exists():
    metrics = json.loads((bundled_dir("models") / "metrics.json").read_text("utf-8"))
    assert metrics["split"] == "test"
    assert set(metrics["per_type"]) == {"efficacy", "mechanism", "safety", "comparative"}


def _small_model(folder, thresholds=None, gate_types=False):
    """A model fitted in-process on SMALL_CORPUS (no spaCy), saved to folder."""
    rule_rows = [{"rule:efficacy": 1.0} if "efficacy" in r["labels"] else {} for r in SMALL_CORPUS]
    model = train(
        [r["text"] for r in SMALL_CORPUS] * 3,
        [r["labels"] for r in SMALL_CORPUS] * 3,
        {"versions": {}},
        rule_rows * 3,
        thresholds=thresholds,
        gate_types=gate_types,
    )
    model.save(folder)
    return model


def _edit_model_json(folder, change):
    """Change model.json and re-sign it in the manifest, as a maintainer would after editing."""
    import hashlib

    model = json.loads((folder / "model.json").read_text("utf-8"))
    change(model)
    (folder / "model.json").write_text(json.dumps(model), "utf-8")
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    manifest["files"]["model.json"] = hashlib.sha256((folder / "model.json").read_bytes()).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(manifest), "utf-8")


def test_thresholds_are_saved_in_model_json_and_applied_on_load(tmp_path):
    folder = tmp_path / "m"
    _small_model(folder, thresholds={"claim": 0.3, "efficacy": 0.6})
    decision = json.loads((folder / "model.json").read_text("utf-8"))["decision"]
    assert decision["thresholds"] == {
        "claim": 0.3,
        "efficacy": 0.6,
        "mechanism": 0.5,
        "safety": 0.5,
        "comparative": 0.5,
    }
    assert decision["gate_types_on_claim"] is False

    texts = [r["text"] for r in SMALL_CORPUS]
    model = ClaimClassifier.load(folder)
    probs = model.predict_proba(texts)
    limits = [0.3, 0.6, 0.5, 0.5, 0.5]
    assert (model.predict(texts) == (probs >= np.array(limits))).all()

    # Thresholds edited in model.json are what `predict` (and so `claimcheck evaluate`) uses.
    _edit_model_json(folder, lambda m: m["decision"]["thresholds"].update(claim=1.0, safety=0.0))
    edited = ClaimClassifier.load(folder)
    assert np.allclose(edited.predict_proba(texts), probs)
    predicted = edited.predict(texts)
    assert not predicted[:, 0].any() and predicted[:, LABELS.index("safety")].all()

    # Gating: no type label without the claim label.
    _edit_model_json(folder, lambda m: m["decision"].update(gate_types_on_claim=True))
    assert not ClaimClassifier.load(folder).predict(texts).any()


def test_model_without_decision_block_defaults_to_one_half(tmp_path):
    folder = tmp_path / "m"
    _small_model(folder)
    _edit_model_json(folder, lambda m: m.pop("decision"))
    model = ClaimClassifier.load(folder)
    assert model.decision_thresholds() == dict.fromkeys(LABELS, 0.5)
    texts = [r["text"] for r in SMALL_CORPUS]
    assert (model.predict(texts) == (model.predict_proba(texts) >= 0.5)).all()


@pytest.mark.parametrize(
    "change",
    [
        lambda m: m["decision"]["thresholds"].pop("safety"),
        lambda m: m["decision"]["thresholds"].update(claim=1.5),
        lambda m: m["decision"]["thresholds"].update(claim="high"),
        lambda m: m["decision"].update(gate_types_on_claim="yes"),
    ],
)
def test_bad_thresholds_are_a_model_error(tmp_path, change):
    folder = tmp_path / "m"
    _small_model(folder)
    _edit_model_json(folder, change)
    with pytest.raises(ModelError, match=r"model\.json"):
        ClaimClassifier.load(folder)


def test_rule_feature_scale_is_folded_into_the_saved_weights(tmp_path):
    """Training sees the rule features scaled down; the saved weights take rule features as
    plain 0/1, so scores at run time equal scores on the scaled training matrix."""
    from scipy.sparse import hstack
    from sklearn.linear_model import LogisticRegression

    model = _small_model(tmp_path / "m")
    texts = [r["text"] for r in SMALL_CORPUS] * 3
    rows = [{"rule:efficacy": 1.0} if "efficacy" in r["labels"] else {} for r in SMALL_CORPUS] * 3
    word, char = model._vectorizers()
    scaled = hstack(
        [word.transform(texts), char.transform(texts), rule_matrix(rows, model.rule_vocab) * RULE_FEATURE_SCALE]
    ).tocsr()
    y = np.array([1 if "efficacy" in r["labels"] else 0 for r in SMALL_CORPUS] * 3)
    reference = LogisticRegression(C=32.0, class_weight="balanced", max_iter=3000, solver="liblinear", random_state=0)
    reference.fit(scaled, y)
    j = LABELS.index("efficacy")
    assert np.allclose(model.predict_proba(texts, rows)[:, j], reference.predict_proba(scaled)[:, 1])


def test_shipped_model_carries_its_decision_settings():
    model = ClaimClassifier.load(bundled_dir("models"))
    assert set(model.decision_thresholds()) == set(LABELS)
    settings = model.meta["settings"]
    assert settings["rule_feature_scale"] == RULE_FEATURE_SCALE
    metrics = json.loads((bundled_dir("models") / "metrics.json").read_text("utf-8"))
    assert metrics["decision"]["thresholds"] == model.decision_thresholds()
    assert metrics["corpus"]["sha256"] == model.meta["corpus_sha256"]


def test_numpy_scoring_equals_scikit_learn_on_the_corpus():
    """predict_proba builds the tf-idf rows itself (no scikit-learn at run time); it must give
    what TfidfVectorizer + the linear model give, on every corpus sentence and odd text."""
    model = ClaimClassifier.load(bundled_dir("models"))
    texts = [
        json.loads(line)["text"]
        for path in sorted((REPO / "corpus" / "docs").glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    texts += ["", "   ", "a", "Ü ÿ\tx\n\n  y", "İstanbul ǅ ß", "x" * 300, "it's 5-10 % - a/b_c"]
    names = sorted(model.rule_vocab)
    rows = [{names[i % len(names)]: 1.0, names[(3 * i) % len(names)]: 1.0} if i % 4 else {} for i in range(len(texts))]
    expected = 1.0 / (1.0 + np.exp(-(model.features(texts, rows) @ model.coef.T + model.intercept)))
    assert np.allclose(model.predict_proba(texts, rows), expected, rtol=0, atol=1e-12)


def _corpus_texts(limit: int | None = None) -> list[str]:
    texts = [
        json.loads(line)["text"]
        for path in sorted((REPO / "corpus" / "docs").glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    return texts[:limit]


def test_scores_ignore_the_settings_in_the_code(monkeypatch):
    """The scorer reads the vectorizer settings saved with the model: changing the code's
    training settings leaves the shipped model's scores exactly as they were."""
    texts = [*_corpus_texts(400), "Dry Needling EASES neck pain, fast!", ""]
    before = ClaimClassifier.load(bundled_dir("models")).predict_proba(texts)
    monkeypatch.setitem(classifier.WORD_SETTINGS, "ngram_range", (1, 1))
    monkeypatch.setitem(classifier.WORD_SETTINGS, "lowercase", False)
    monkeypatch.setitem(classifier.WORD_SETTINGS, "sublinear_tf", False)
    monkeypatch.setitem(classifier.WORD_SETTINGS, "token_pattern", r"\w+")
    monkeypatch.setitem(classifier.CHAR_SETTINGS, "ngram_range", (2, 3))
    monkeypatch.setitem(classifier.CHAR_SETTINGS, "lowercase", False)
    after = ClaimClassifier.load(bundled_dir("models")).predict_proba(texts)
    assert np.array_equal(after, before)


def test_a_model_trained_with_other_settings_scores_with_them(tmp_path, monkeypatch):
    """Settings other than today's, saved at training time, are the ones scoring uses, and
    numpy scoring still equals scikit-learn's (raw counts, case kept, other n-gram ranges)."""
    monkeypatch.setitem(classifier.WORD_SETTINGS, "ngram_range", (1, 3))
    monkeypatch.setitem(classifier.WORD_SETTINGS, "sublinear_tf", False)
    monkeypatch.setitem(classifier.WORD_SETTINGS, "lowercase", False)
    monkeypatch.setitem(classifier.CHAR_SETTINGS, "ngram_range", (2, 4))
    monkeypatch.setitem(classifier.CHAR_SETTINGS, "min_df", 1)
    monkeypatch.setitem(classifier.CHAR_SETTINGS, "lowercase", False)
    _small_model(tmp_path / "m")
    monkeypatch.undo()
    saved = json.loads((tmp_path / "m" / "model.json").read_text("utf-8"))
    assert saved["word_settings"]["ngram_range"] == [1, 3] and saved["char_settings"]["ngram_range"] == [2, 4]
    model = ClaimClassifier.load(tmp_path / "m")
    texts = [r["text"] for r in SMALL_CORPUS] + ["CUPPING cupping Cupping draws draws toxins", "a b"]
    expected = 1.0 / (1.0 + np.exp(-(model.features(texts) @ model.coef.T + model.intercept)))
    assert np.allclose(model.predict_proba(texts), expected, rtol=0, atol=1e-12)
    assert "cupping cupping" not in model.word_vocab and "Cupping draws toxins" in model.word_vocab


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda m: m.pop("word_settings"), "word_settings missing"),
        (lambda m: m.pop("char_settings"), "char_settings missing"),
        (lambda m: m["char_settings"].pop("ngram_range"), "char_settings.ngram_range missing"),
        (lambda m: m["word_settings"].pop("token_pattern"), "word_settings.token_pattern missing"),
        (lambda m: m["word_settings"].update(analyzer="char"), "word_settings.analyzer: must be 'word'"),
        (lambda m: m["char_settings"].update(ngram_range=[0, 2]), "char_settings.ngram_range: must be"),
        (lambda m: m["word_settings"].update(sublinear_tf="yes"), "word_settings.sublinear_tf: must be"),
        (lambda m: m["word_settings"].update(norm="l1"), "word_settings.norm: only 'l2'"),
        (lambda m: m["word_settings"].update(token_pattern="(a)(b)"), "word_settings.token_pattern: must be"),
        (lambda m: m["char_settings"].update(binary=True), "char_settings.binary: not a setting"),
    ],
)
def test_vectorizer_settings_the_scorer_cannot_follow_are_refused(tmp_path, change, named):
    folder = tmp_path / "m"
    _small_model(folder)
    _edit_model_json(folder, change)
    with pytest.raises(ModelError) as caught:
        ClaimClassifier.load(folder)
    message = str(caught.value)
    assert message.startswith(f"{folder / 'model.json'}: {named}") and "\n" not in message


def test_a_model_json_without_settings_is_a_one_line_cli_error(tmp_path, cli):
    folder = tmp_path / "model"
    shutil.copytree(bundled_dir("models"), folder)
    _edit_model_json(folder, lambda m: m.pop("word_settings"))
    out = cli("check", str(REPO / "examples" / "clinic-page.md"), "--model-dir", str(folder))
    line = one_line_error(out, str(folder / "model.json"), "word_settings missing")
    assert line.startswith("claimcheck: error: ")


def test_checking_text_imports_neither_scikit_learn_nor_scipy():
    """Both cost over a second of every cold start; only `claimcheck train` needs them."""
    code = (
        "import sys\nfrom claimcheck import Checker\n"
        "result = Checker(use_model=True).check_text('Dry needling relieves neck pain.')\n"
        "assert result.findings\n"
        "print(sorted(m for m in ('sklearn', 'scipy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert out.stdout.strip() == "[]"


# Runs the command line as if scikit-learn and SciPy were not installed (claimcheck without
# its `train` extra): importing either fails as a missing package does.
WITHOUT_TRAIN_EXTRA = """
import sys
class NotInstalled:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("sklearn", "scipy"):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
sys.meta_path.insert(0, NotInstalled())
sys.argv[0] = "claimcheck"
from claimcheck.cli.app import main
main()
"""


def _cli_without_train_extra(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", WITHOUT_TRAIN_EXTRA, *args], capture_output=True, cwd=REPO, timeout=300
    )


def test_train_without_scikit_learn_says_what_to_install(tmp_path):
    corpus = _write_corpus(tmp_path / "corpus", SMALL_CORPUS)
    out = _cli_without_train_extra("train", "--corpus", str(corpus), "--out", str(tmp_path / "m"))
    line = one_line_error(out, "scikit-learn", "pip install 'claimcheck[train]'")
    assert line == (
        "claimcheck: error: claimcheck train needs scikit-learn and SciPy (cannot import scipy): "
        "pip install 'claimcheck[train]' (in a checkout: pip install '.[train]')"
    )
    assert not (tmp_path / "m").exists()


def test_check_and_evaluate_run_without_scikit_learn(tmp_path):
    """Only fitting needs the `train` extra: checking and evaluating score with numpy."""
    _small_model(tmp_path / "m")
    doc = _doc_in("noextra", "test")
    corpus = _write_corpus(tmp_path / "corpus", [dict(r, doc=doc) for r in SMALL_CORPUS])
    page = str(REPO / "examples" / "clinic-page.md")
    checked = _cli_without_train_extra("check", page, "--model-dir", str(tmp_path / "m"), "--fail-on", "never")
    assert checked.returncode == 0, checked.stderr.decode()
    args = ["--corpus", str(corpus), "--model-dir", str(tmp_path / "m"), "--shared", str(tmp_path / "none")]
    evaluated = _cli_without_train_extra("evaluate", *args)
    assert evaluated.returncode == 0, evaluated.stderr.decode()
    assert evaluated.stdout.decode().splitlines()[0] == "test split: 6 sentences"


def test_corpus_allows_therapies_outside_the_lexicon(tmp_path):
    """Open-world: a corpus line may be about any therapy (a float tank, leeches), not only
    the lexicon's interventions; the id is kept as written."""
    records = [dict(r, intervention="leech_therapy") for r in SMALL_CORPUS]
    sentences = load_corpus(_write_corpus(tmp_path / "c", records))
    assert {s.intervention for s in sentences} == {"leech_therapy"}


def test_inside_the_evidence_base_is_read_from_the_loaded_evidence(tmp_path):
    import yaml

    from claimcheck.training.train import evidence_groups, evidence_interventions

    declared = {
        yaml.safe_load(p.read_text("utf-8"))["intervention"] for p in (bundled_dir("rules") / "evidence").glob("*.yaml")
    }
    assert evidence_interventions() == declared
    # An extra evidence folder (as `--evidence` gives) adds its intervention.
    extra = tmp_path / "evidence"
    extra.mkdir()
    (extra / "manual_therapy.yaml").write_text(
        """intervention: manual_therapy
title: Hands-on treatment
entries:
  - id: mt.sensory
    claim_type: efficacy
    topic: Relaxation (sensory claims)
    verdict: supported
    certainty: moderate
    basis: regulator
    scope: How a session feels.
    human_signal: true
    fallback: true
    match:
      all: [outcome.relaxation]
    summary: Sensory statements describe the experience.
    accepted_wording: Many people find hands-on treatment relaxing.
    citations:
      - ref: CAP Advice Online, Health - therapies (general)
        url: https://www.asa.org.uk/advice-online/health-therapies-general.html
        design: CAP guidance (non-binding advice)
    last_reviewed: 2026-11-22
    examples:
      - text: Many people find hands-on treatment relaxing.
        verdict: supported
""",
        encoding="utf-8",
    )
    assert evidence_interventions([extra]) == declared | {"manual_therapy"}
    sentences = load_corpus(
        _write_corpus(
            tmp_path / "c",
            [
                dict(SMALL_CORPUS[0], intervention="manual_therapy"),
                dict(SMALL_CORPUS[1], intervention="float_tank"),
                SMALL_CORPUS[2],
            ],
        )
    )
    assert evidence_groups(sentences, declared) == {"inside": [2], "outside": [0, 1]}
    assert evidence_groups(sentences, evidence_interventions([extra])) == {"inside": [0, 2], "outside": [1]}


def _doc_in(prefix: str, split: str) -> str:
    return next(f"{prefix}_{i}" for i in range(1000) if split_of(f"{prefix}_{i}") == split)


def test_evaluate_reports_therapies_inside_and_outside_the_evidence_base(tmp_path, cli):
    float_lines = [
        ("Floating melts away stress and eases back pain.", ["efficacy"]),
        ("Each float lasts sixty minutes.", []),
        ("The salt water takes the weight off your spine and calms the nervous system.", ["mechanism"]),
        ("Floating is completely safe for everyone.", ["safety"]),
    ]
    train_records = [dict(r, doc=f"{r['doc']}_{i}") for i in range(20) for r in SMALL_CORPUS]
    train_records = [r for r in train_records if split_of(r["doc"]) == "train"]
    train_records += [
        {"doc": doc, "register": "landing", "intervention": "float_tank", "text": text, "labels": labels}
        for doc in [f"ft_{i}" for i in range(20) if split_of(f"ft_{i}") == "train"]
        for text, labels in float_lines
    ]
    inside_doc, outside_doc = _doc_in("ev_in", "test"), _doc_in("ev_out", "test")
    test_records = [dict(r, doc=inside_doc, intervention="dry_needling") for r in SMALL_CORPUS[:3]]
    test_records += [
        {"doc": outside_doc, "register": "meta", "intervention": "float_tank", "text": text, "labels": labels}
        for text, labels in float_lines[:2]
    ]
    corpus = _write_corpus(tmp_path / "corpus", train_records + test_records)
    model_dir = tmp_path / "m"
    assert cli("train", "--corpus", str(corpus), "--out", str(model_dir)).returncode == 0
    out = cli(
        "evaluate", "--corpus", str(corpus), "--model-dir", str(model_dir), "--shared", str(tmp_path / "no-shared")
    )
    assert out.returncode == 0, out.stderr
    text = out.stdout.decode()
    assert "test split: 5 sentences" in text
    assert "inside the evidence base: 3 sentences, 1 documents, 1 intervention(s)" in text
    assert "outside the evidence base: 2 sentences, 1 documents, 1 intervention(s)" in text
    metrics = json.loads((model_dir / "metrics.json").read_text("utf-8"))
    inside, outside = metrics["by_evidence"]["inside"], metrics["by_evidence"]["outside"]
    assert inside["interventions"] == ["dry_needling"] and outside["interventions"] == ["float_tank"]
    assert (inside["sentences"], outside["sentences"]) == (3, 2)
    assert inside["claim_vs_no_claim"]["support"] == 2 and outside["claim_vs_no_claim"]["support"] == 1
    assert set(outside["per_type"]) == {"efficacy", "mechanism", "safety", "comparative"}
    # Types with no gold support in a group do not count towards its macro-F1.
    assert outside["macro_f1_types"] == outside["per_type"]["efficacy"]["f1"]
    assert metrics["corpus"]["by_evidence"]["outside"]["test"]["sentences"] == 2
    assert metrics["corpus"]["by_evidence"]["inside"]["test"]["claims"] == 2


def test_seeds_score_uses_the_evaluated_model(tmp_path, monkeypatch):
    """`claimcheck evaluate --model-dir X` scores the seeds with model X, not the shipped one."""
    import claimcheck.pipeline.checker
    import claimcheck.report.json_report
    from claimcheck.training.train import seeds_scores

    shared = tmp_path / "shared"
    (shared / "acceptance").mkdir(parents=True)
    (shared / "seeds").mkdir()
    (shared / "seeds" / "000.txt").write_text("Dry needling eases neck pain.\n", encoding="utf-8")
    (shared / "acceptance" / "seeds.gold.jsonl").write_text("", encoding="utf-8")
    (shared / "acceptance" / "score.py").write_text(
        "def load_gold(path):\n    return {('000.txt', 0): None}\n"
        "def load_findings(report):\n    return report\n"
        "def score(gold, findings, docs):\n    return {'recall': 1.0}\n",
        encoding="utf-8",
    )
    seen = []

    class FakeChecker:
        def __init__(self, use_model=None, model_dir=None):
            seen.append((use_model, model_dir))

        def check_paths(self, paths):
            return paths

    monkeypatch.setattr(claimcheck.pipeline.checker, "Checker", FakeChecker)
    monkeypatch.setattr(claimcheck.report.json_report, "render_json", lambda result: "{}")
    assert seeds_scores(shared, tmp_path / "m") == {
        "rules_only": {"recall": 1.0},
        "rules_and_classifier": {"recall": 1.0},
    }
    assert seen == [(False, tmp_path / "m"), (True, tmp_path / "m")]
