"""The trained claim detector: deterministic training, plain-data persistence, verified loading."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
from conftest import REPO

from claimcheck.classifier import LABELS, ClaimClassifier, ModelError
from claimcheck.corpus import CorpusError, load_corpus, split_of
from claimcheck.rules import bundled_dir

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
    assert all(c >= cut for c in kept) and len(kept) <= len(confidences)


def test_shipped_model_metrics_file_exists():
    metrics = json.loads((bundled_dir("models") / "metrics.json").read_text("utf-8"))
    assert metrics["split"] == "test"
    assert set(metrics["per_type"]) == {"efficacy", "mechanism", "safety", "comparative"}
