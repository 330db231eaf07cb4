"""The trained claim detector: TF-IDF n-grams and one logistic regression per label.

Labels: ``claim`` (is this sentence a health claim at all) and one per claim type. The
model is saved as plain data: ``model.json`` (vocabularies, settings, decision thresholds,
versions) and ``weights.npz`` (IDF vectors, coefficients, intercepts) read with
``allow_pickle=False``, plus ``manifest.json`` with SHA-256 checksums verified on load. No
pickle anywhere. See models/README.md (the model card) for the data, settings and scores.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from claimcheck.core.errors import ModelError
from claimcheck.core.records import CLAIM_TYPES

LABELS = ("claim", *CLAIM_TYPES)
MODEL_FILES = ("model.json", "weights.npz")
TOKEN_PATTERN = r"(?u)\b\w\w+\b"  # scikit-learn's default token_pattern
# The vectorizers' settings for training. They are saved in model.json, and scoring reads
# them from there (``_read_settings``), never from here: a model scores as it was trained.
WORD_SETTINGS = {
    "analyzer": "word",
    "ngram_range": (1, 2),
    "min_df": 1,
    "sublinear_tf": True,
    "lowercase": True,
    "norm": "l2",
    "token_pattern": TOKEN_PATTERN,
}
CHAR_SETTINGS = {
    "analyzer": "char_wb",
    "ngram_range": (3, 5),
    "min_df": 2,
    "sublinear_tf": True,
    "lowercase": True,
    "norm": "l2",
}
# What the numpy scorer reproduces, per analyzer; any other scikit-learn setting is at its
# default. min_df only shapes the vocabulary, which model.json holds.
SCORED_SETTINGS = {
    "word": ("analyzer", "ngram_range", "lowercase", "sublinear_tf", "norm", "token_pattern"),
    "char_wb": ("analyzer", "ngram_range", "lowercase", "sublinear_tf", "norm"),
}
TRAINING_ONLY_SETTINGS = ("min_df",)
# Training settings, chosen on the dev split (models/README.md lists what was tried).
C = 32.0
# The rules' binary features enter the fit scaled by this factor, which is a stronger
# L2 penalty on them than on the n-grams: at 1.0 the model leans on the rules' type
# guesses and copies their mistakes. The scale is folded back into the saved coefficients,
# so at run time the rule features are plain 0/1 and nothing else changes.
RULE_FEATURE_SCALE = 0.1
# Default per-label decision thresholds for `predict` (model.json may set its own).
DEFAULT_THRESHOLD = 0.5


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _write_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Like numpy.savez, but byte-identical for identical arrays (fixed zip timestamps)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(arrays):
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            raw = io.BytesIO()
            np.lib.format.write_array(raw, np.ascontiguousarray(arrays[name]), allow_pickle=False)
            zf.writestr(info, raw.getvalue())
    path.write_bytes(buffer.getvalue())


@dataclass
class ClaimClassifier:
    """Scores sentences: P(claim) and P(type) for each claim type."""

    word_vocab: dict[str, int]
    char_vocab: dict[str, int]
    word_idf: np.ndarray
    char_idf: np.ndarray
    coef: np.ndarray  # (labels, features)
    intercept: np.ndarray  # (labels,)
    meta: dict
    # The vectorizers' settings (WORD_SETTINGS, CHAR_SETTINGS as they were at training time).
    word_settings: dict
    char_settings: dict
    rule_vocab: dict[str, int] | None = None  # the rules' findings, as binary features
    # Per-label decision thresholds used by `predict` (and `claimcheck evaluate`); a type
    # label can also be gated on the claim decision. Stored in model.json under "decision".
    thresholds: dict[str, float] | None = None
    gate_types: bool = False
    # Character n-gram columns per distinct word, filled while scoring (see _char_block).
    _char_memo: dict[str, tuple[int, ...]] = field(default_factory=dict, repr=False, compare=False)

    def _vectorizers(self):
        """scikit-learn vectorizers with this model's vocabularies: training and tests use them;
        scoring does not (see ``predict_proba``)."""
        from sklearn.feature_extraction.text import TfidfVectorizer

        word = TfidfVectorizer(vocabulary=self.word_vocab, **self.word_settings)
        word.idf_ = self.word_idf
        char = TfidfVectorizer(vocabulary=self.char_vocab, **self.char_settings)
        char.idf_ = self.char_idf
        return word, char

    def features(self, texts: list[str], rule_features: list[dict[str, float]] | None = None):
        """The sparse feature matrix as scikit-learn builds it (for training and tests)."""
        from scipy.sparse import hstack

        word, char = self._vectorizers()
        blocks = [word.transform(texts), char.transform(texts)]
        blocks.append(rule_matrix(rule_features or [{} for _ in texts], self.rule_vocab or {}))
        return hstack(blocks).tocsr()

    def predict_proba(self, texts: list[str], rule_features: list[dict[str, float]] | None = None) -> np.ndarray:
        """Array (len(texts), len(LABELS)) of probabilities.

        Computed with numpy alone: importing scikit-learn and SciPy costs over a second of
        every cold start, and scoring a linear model needs neither. ``_word_block`` and
        ``_char_block`` reproduce TfidfVectorizer.transform for the settings saved with the
        model (a test holds the two equal on the corpus)."""
        n = len(texts)
        if not n:
            return np.zeros((0, len(LABELS)))
        scores = np.tile(self.intercept, (n, 1)).T.copy()  # (labels, texts)
        for (rows, cols, values), offset in (
            (self._word_block(texts), 0),
            (self._char_block(texts), len(self.word_vocab)),
        ):
            if len(rows):
                contributions = self.coef[:, cols + offset] * values
                for label in range(len(LABELS)):
                    scores[label] += np.bincount(rows, weights=contributions[label], minlength=n)
        offset = len(self.word_vocab) + len(self.char_vocab)  # the rule features' first column
        if rule_features and self.rule_vocab:
            for i, row in enumerate(rule_features):
                for name, value in row.items():
                    col = self.rule_vocab.get(name)
                    if col is not None:
                        scores[:, i] += self.coef[:, offset + col] * float(value)
        return 1.0 / (1.0 + np.exp(-scores.T))

    def _word_block(self, texts: list[str]):
        settings = self.word_settings
        pattern = re.compile(settings["token_pattern"])
        low, high = settings["ngram_range"]
        vocab = self.word_vocab
        rows: list[int] = []
        cols: list[int] = []
        for i, text in enumerate(texts):
            terms = _word_terms(text.lower() if settings["lowercase"] else text, pattern, low, high)
            found = [c for c in map(vocab.get, terms) if c is not None]
            rows.extend([i] * len(found))
            cols.extend(found)
        return _tfidf_rows(rows, cols, self.word_idf, len(texts), settings["sublinear_tf"])

    def _char_block(self, texts: list[str]):
        """Character n-grams never cross a space, so each distinct word's vocabulary columns
        are looked up once per model and reused for every sentence that holds the word."""
        settings = self.char_settings
        low, high = settings["ngram_range"]
        lowercase = settings["lowercase"]
        memo = self._char_memo
        if len(memo) > 200_000:
            memo.clear()
        vocab = self.char_vocab
        rows: list[int] = []
        cols: list[int] = []
        for i, text in enumerate(texts):
            start = len(cols)
            # scikit-learn collapses whitespace runs and splits on whitespace: the same words.
            for word in (text.lower() if lowercase else text).split():
                found = memo.get(word)
                if found is None:
                    grams = _char_wb_word(word, low, high)
                    found = memo[word] = tuple(c for c in map(vocab.get, grams) if c is not None)
                cols.extend(found)
            rows.extend([i] * (len(cols) - start))
        return _tfidf_rows(rows, cols, self.char_idf, len(texts), settings["sublinear_tf"])

    def decision_thresholds(self) -> dict[str, float]:
        return {label: float((self.thresholds or {}).get(label, DEFAULT_THRESHOLD)) for label in LABELS}

    def predict(self, texts: list[str], rule_features: list[dict[str, float]] | None = None) -> np.ndarray:
        """Boolean array (len(texts), len(LABELS)): each label's probability at or above its
        threshold from model.json; with ``gate_types`` a type needs the claim label too."""
        probs = self.predict_proba(texts, rule_features)
        limits = self.decision_thresholds()
        out = probs >= np.array([limits[label] for label in LABELS])
        if self.gate_types and len(out):
            out[:, 1:] &= out[:, :1]
        return out

    # -- persistence ---------------------------------------------------------------------

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        model = {
            "format": "claimcheck-claim-classifier/1",
            "labels": list(LABELS),
            "word_settings": _as_json(self.word_settings),
            "char_settings": _as_json(self.char_settings),
            "word_vocab": dict(sorted(self.word_vocab.items())),
            "char_vocab": dict(sorted(self.char_vocab.items())),
            "rule_vocab": dict(sorted((self.rule_vocab or {}).items())),
            "decision": {"thresholds": self.decision_thresholds(), "gate_types_on_claim": bool(self.gate_types)},
            "meta": self.meta,
        }
        (folder / "model.json").write_text(json.dumps(model, sort_keys=True, ensure_ascii=False) + "\n", "utf-8")
        _write_npz(
            folder / "weights.npz",
            {
                "word_idf": self.word_idf,
                "char_idf": self.char_idf,
                "coef": self.coef,
                "intercept": self.intercept,
            },
        )
        manifest = {
            "files": {name: _sha256(folder / name) for name in MODEL_FILES},
            "versions": self.meta.get("versions", {}),
            "corpus_sha256": self.meta.get("corpus_sha256"),
        }
        (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", "utf-8")

    @classmethod
    def load(cls, folder: Path) -> ClaimClassifier:
        folder = Path(folder)
        manifest_path = folder / "manifest.json"
        if not manifest_path.is_file():
            raise ModelError(f"{manifest_path}: model manifest not found (run `claimcheck train`)")
        try:
            manifest = json.loads(manifest_path.read_text("utf-8"))
            expected = manifest["files"]
        except (ValueError, KeyError, TypeError):
            raise ModelError(f"{manifest_path}: unreadable model manifest") from None
        for name in MODEL_FILES:
            path = folder / name
            if not path.is_file():
                raise ModelError(f"{path}: model file missing")
            if _sha256(path) != expected.get(name):
                raise ModelError(
                    f"{path}: checksum does not match {manifest_path.name}; "
                    "the model was changed after training (retrain with `claimcheck train`)"
                )
        model = json.loads((folder / "model.json").read_text("utf-8"))
        if model.get("format") != "claimcheck-claim-classifier/1" or tuple(model.get("labels", ())) != LABELS:
            raise ModelError(f"{folder / 'model.json'}: unknown model format or labels")
        word_settings = _read_settings(model, "word_settings", "word", folder / "model.json")
        char_settings = _read_settings(model, "char_settings", "char_wb", folder / "model.json")
        with np.load(folder / "weights.npz", allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in ("word_idf", "char_idf", "coef", "intercept")}
        n_features = len(model["word_vocab"]) + len(model["char_vocab"]) + len(model.get("rule_vocab", {}))
        if arrays["coef"].shape != (len(LABELS), n_features):
            raise ModelError(f"{folder / 'weights.npz'}: weights do not match the vocabulary")
        thresholds, gate_types = _read_decision(model.get("decision"), folder / "model.json")
        return cls(
            word_vocab=model["word_vocab"],
            char_vocab=model["char_vocab"],
            word_idf=arrays["word_idf"],
            char_idf=arrays["char_idf"],
            coef=arrays["coef"],
            intercept=arrays["intercept"],
            meta=model["meta"],
            word_settings=word_settings,
            char_settings=char_settings,
            rule_vocab=model.get("rule_vocab", {}),
            thresholds=thresholds,
            gate_types=gate_types,
        )


def _read_decision(decision, where: Path) -> tuple[dict[str, float], bool]:
    """The "decision" block of model.json; a model saved before it existed uses 0.5 throughout."""
    if decision is None:
        return {label: DEFAULT_THRESHOLD for label in LABELS}, False
    try:
        raw = decision["thresholds"]
        thresholds = {label: float(raw[label]) for label in LABELS}
        gate = decision.get("gate_types_on_claim", False)
    except (KeyError, TypeError, ValueError):
        raise ModelError(f"{where}: decision thresholds must give a number for each of {', '.join(LABELS)}") from None
    if not all(0.0 <= t <= 1.0 for t in thresholds.values()):
        raise ModelError(f"{where}: decision thresholds must lie between 0 and 1")
    if not isinstance(gate, bool):
        raise ModelError(f"{where}: gate_types_on_claim must be true or false")
    return thresholds, gate


def _as_json(settings: dict) -> dict:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in settings.items()}


def _read_settings(model: dict, key: str, analyzer: str, where: Path) -> dict:
    """One vectorizer's settings from model.json. The scorer reproduces exactly these, so
    a model without them, or with one the scorer cannot reproduce, is refused."""
    settings = model.get(key)
    if not isinstance(settings, dict):
        raise ModelError(
            f"{where}: {key} missing: scoring reads the vectorizer settings from the model "
            "(retrain with `claimcheck train`)"
        )
    for name in SCORED_SETTINGS[analyzer]:
        if name not in settings:
            raise ModelError(f"{where}: {key}.{name} missing (retrain with `claimcheck train`)")
    problem = _settings_problem(settings, analyzer)
    if problem:
        raise ModelError(f"{where}: {key}.{problem}")
    return {**settings, "ngram_range": tuple(settings["ngram_range"])}


def _settings_problem(settings: dict, analyzer: str) -> str | None:
    """What in ``settings`` the numpy scorer cannot reproduce, as "name: why"; None if nothing."""
    unknown = sorted(set(settings) - set(SCORED_SETTINGS[analyzer]) - set(TRAINING_ONLY_SETTINGS))
    if unknown:
        return f"{unknown[0]}: not a setting the scorer reproduces"
    if settings["analyzer"] != analyzer:
        return f"analyzer: must be {analyzer!r}"
    grams = settings["ngram_range"]
    if not (
        isinstance(grams, list) and len(grams) == 2 and all(type(n) is int for n in grams) and 1 <= grams[0] <= grams[1]
    ):
        return "ngram_range: must be [low, high] with 1 <= low <= high"
    for name in ("lowercase", "sublinear_tf"):
        if not isinstance(settings[name], bool):
            return f"{name}: must be true or false"
    if settings["norm"] != "l2":
        return "norm: only 'l2' is supported"
    if analyzer == "word":
        try:
            groups = re.compile(settings["token_pattern"]).groups
        except (re.error, TypeError):
            groups = 2
        if groups > 1:
            return "token_pattern: must be a regular expression with at most one group"
    return None


def _word_terms(text: str, pattern: re.Pattern, low: int, high: int) -> list[str]:
    """Word n-grams of a (preprocessed) text as TfidfVectorizer(analyzer="word") makes them."""
    tokens = pattern.findall(text)
    grams = list(tokens) if low == 1 else []
    for n in range(max(low, 2), min(high, len(tokens)) + 1):
        grams.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return grams


def _char_wb_word(word: str, low: int, high: int) -> list[str]:
    """The char_wb n-grams of one (preprocessed) word, as TfidfVectorizer(analyzer="char_wb")
    makes them (it splits the text on whitespace and pads each word with a space)."""
    padded = f" {word} "
    size = len(padded)
    grams: list[str] = []
    for n in range(low, high + 1):
        if size <= n:  # a short word is one n-gram, counted once
            grams.append(padded)
            break
        grams.extend(padded[i : i + n] for i in range(size - n + 1))
    return grams


def _tfidf_rows(rows: list[int], cols: list[int], idf: np.ndarray, n_rows: int, sublinear: bool):
    """(row, column, value) arrays of tf-idf rows (tf: 1 + log(count) when ``sublinear``)
    scaled to unit length, from one (row, column) pair per occurrence of a term."""
    if not cols:
        empty = np.zeros(0, dtype=np.intp)
        return empty, empty, np.zeros(0)
    width = len(idf)
    keys, counts = np.unique(
        np.asarray(rows, dtype=np.int64) * width + np.asarray(cols, dtype=np.int64), return_counts=True
    )
    row_array, col_array = (keys // width).astype(np.intp), (keys % width).astype(np.intp)
    tf = counts.astype(np.float64)
    values = ((np.log(tf) + 1.0) if sublinear else tf) * idf[col_array]
    norms = np.sqrt(np.bincount(row_array, weights=values * values, minlength=n_rows))
    values /= norms[row_array]
    return row_array, col_array, values


def rule_matrix(rows: list[dict[str, float]], vocab: dict[str, int]):
    """Sparse matrix of the rules' binary features, in a fixed column order."""
    from scipy.sparse import csr_matrix

    data, indices, indptr = [], [], [0]
    for row in rows:
        for name in sorted(row):
            if name in vocab:
                indices.append(vocab[name])
                data.append(float(row[name]))
        indptr.append(len(indices))
    return csr_matrix((data, indices, indptr), shape=(len(rows), len(vocab)), dtype=np.float64)


def train(
    texts: list[str],
    labels: list[list[str]],
    meta: dict,
    rule_features: list[dict[str, float]] | None = None,
    thresholds: dict[str, float] | None = None,
    gate_types: bool = False,
) -> ClaimClassifier:
    """Fit the vectorizers and one logistic regression per label; deterministic (liblinear
    with a fixed random_state, vocabularies in sorted order, no parallelism)."""
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    rule_features = rule_features or [{} for _ in texts]
    rule_vocab = {name: i for i, name in enumerate(sorted({k for row in rule_features for k in row}))}
    word = TfidfVectorizer(**WORD_SETTINGS)
    char = TfidfVectorizer(**CHAR_SETTINGS)
    blocks = [word.fit_transform(texts), char.fit_transform(texts)]
    n_text = blocks[0].shape[1] + blocks[1].shape[1]
    x = hstack([*blocks, rule_matrix(rule_features, rule_vocab) * RULE_FEATURE_SCALE]).tocsr()
    coefs, intercepts = [], []
    for label in LABELS:
        y = np.array([1 if (label == "claim" and ls) or label in ls else 0 for ls in labels])
        model = LogisticRegression(C=C, class_weight="balanced", max_iter=3000, solver="liblinear", random_state=0)
        model.fit(x, y)
        coef = np.array(model.coef_[0], dtype=np.float64)
        coef[n_text:] *= RULE_FEATURE_SCALE  # fold the scale in: run-time rule features stay 0/1
        coefs.append(coef)
        intercepts.append(model.intercept_[0])
    word_vocab = {k: int(v) for k, v in word.vocabulary_.items()}
    char_vocab = {k: int(v) for k, v in char.vocabulary_.items()}
    return ClaimClassifier(
        word_vocab=word_vocab,
        char_vocab=char_vocab,
        word_idf=np.asarray(word.idf_, dtype=np.float64),
        char_idf=np.asarray(char.idf_, dtype=np.float64),
        coef=np.vstack(coefs).astype(np.float64),
        intercept=np.asarray(intercepts, dtype=np.float64),
        meta=meta,
        word_settings=dict(WORD_SETTINGS),
        char_settings=dict(CHAR_SETTINGS),
        rule_vocab=rule_vocab,
        thresholds=thresholds,
        gate_types=gate_types,
    )
