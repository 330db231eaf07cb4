"""The annotated corpus in ``corpus/docs/``: sentences written for this project, with labels.

Each line is ``{"doc", "register", "intervention", "text", "labels"}``. The split into
train/dev/test is by document (a hash of the document id), never by sentence, so a test
sentence never shares a page with a training sentence.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from claimcheck.core.errors import CorpusError
from claimcheck.core.records import CLAIM_TYPES
from claimcheck.knowledge.lexicon import bundled_dir

SPLITS = ("train", "dev", "test")
RECORD_KEYS = {"doc", "register", "intervention", "text", "labels"}


@dataclass(frozen=True)
class Sentence:
    doc: str
    intervention: str
    register: str
    text: str
    labels: tuple[str, ...]
    split: str


def split_of(doc_id: str) -> str:
    """15% test, 15% dev, 70% train, by a stable hash of the document id."""
    bucket = int(hashlib.sha256(doc_id.encode("utf-8")).hexdigest()[:8], 16) % 100
    if bucket < 15:
        return "test"
    if bucket < 30:
        return "dev"
    return "train"


def corpus_dir() -> Path:
    """corpus/docs of the checkout in the working directory, else of this source tree."""
    local = Path.cwd() / "corpus" / "docs"
    return local if local.is_dir() else bundled_dir("corpus") / "docs"


def load_corpus(folder: Path | None = None) -> list[Sentence]:
    folder = Path(folder) if folder else corpus_dir()
    files = sorted(folder.glob("*.jsonl"))
    if not files:
        raise CorpusError(f"{folder}: no corpus files (*.jsonl)")
    out: list[Sentence] = []
    for path in files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                record = json.loads(line)
            except ValueError as exc:
                raise CorpusError(f"{where}: invalid JSON ({exc.msg})") from None
            if not isinstance(record, dict) or set(record) != RECORD_KEYS:
                raise CorpusError(f"{where}: expected exactly the keys {sorted(RECORD_KEYS)}")
            labels = record["labels"]
            if not isinstance(labels, list) or any(label not in CLAIM_TYPES for label in labels):
                raise CorpusError(f"{where}: labels: each must be one of {', '.join(CLAIM_TYPES)}")
            text = record["text"]
            if not isinstance(text, str) or not text.strip():
                raise CorpusError(f"{where}: text: must be a non-empty string")
            out.append(
                Sentence(
                    doc=record["doc"],
                    intervention=record["intervention"],
                    register=record["register"],
                    text=text,
                    labels=tuple(sorted(set(labels))),
                    split=split_of(record["doc"]),
                )
            )
    return out


def corpus_sha256(folder: Path | None = None) -> str:
    folder = Path(folder) if folder else corpus_dir()
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.jsonl")):
        digest.update(path.name.encode("utf-8"))
        digest.update(path.read_bytes())
    return digest.hexdigest()
