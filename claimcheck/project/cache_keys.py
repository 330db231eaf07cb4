"""Cache keys: what a result was judged with, as one digest.

Why a module of its own: a cached result may be served only when nothing that decides it
changed -- the file's bytes, the format they are parsed as, the date (stale-evidence
notices), the model switch, the evidence files, and claimcheck's own build. The build is
the same question a Dask client asks its workers ("do you run my claimcheck?"), so
``build_digest`` answers both (claimcheck.project.dask_worker).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from claimcheck import __version__
from claimcheck.ingest.documents import MAX_BYTES, format_for
from claimcheck.project.cache import digest_files, entry_key, settings_key

MODEL_FILES = ("manifest.json", "model.json", "weights.npz")  # what ClaimClassifier.load reads


def build_digest(model_dir: Path | None) -> str:
    """sha256 of what decides a Checker's results on this machine: claimcheck's version and
    Python code, its data files, its rules (*.yaml) and, when one is used, the model's files."""
    from claimcheck.knowledge.lexicon import bundled_dir

    here = Path(__file__).resolve().parents[1]  # the claimcheck package
    code = [p for p in here.rglob("*.py") if p.relative_to(here).parts[0] not in ("_rules", "_models")]
    groups = [(here, code + sorted((here / "data").glob("*"))), (bundled_dir("rules"), None)]
    if model_dir is not None:
        groups.append((model_dir, [model_dir / name for name in MODEL_FILES]))
    h = hashlib.sha256(__version__.encode())
    for root, files in groups:
        for f in sorted(files if files is not None else root.rglob("*.yaml")):
            data = f.read_bytes() if f.is_file() else b""
            h.update(f"{f.relative_to(root).as_posix()}\0{len(data)}\0".encode())
            h.update(data)
    return h.hexdigest()


def model_folder(use_model: bool | None, model_dir: Path | None) -> Path | None:
    """The model folder a run's Checkers load (None: rules alone)."""
    from claimcheck.knowledge.lexicon import bundled_dir

    if use_model is False:
        return None
    return Path(model_dir) if model_dir else bundled_dir("models")


class CacheKeys:
    """The keys of one run: the build and each evidence set digested once, then a key per file."""

    def __init__(self, today: dt.date, use_model: bool | None, model_dir: Path | None) -> None:
        self.today = today
        self.use_model = use_model
        self.model_dir = model_dir
        self._build: str | None = None
        self._evidence: dict[tuple[str, ...], str] = {}

    def settings(self, evidence: tuple[str, ...], fmt: str | None) -> str:
        """Everything besides the bytes that judged a file, as one canonical string."""
        if self._build is None:
            # The code too, not only the version: an edited rubric must not serve old verdicts.
            self._build = build_digest(model_folder(self.use_model, self.model_dir))
        if evidence not in self._evidence:
            self._evidence[evidence] = digest_files([Path(p) for p in evidence])
        return settings_key(
            fmt=fmt,
            today=self.today.isoformat(),  # stale-evidence notices depend on the date
            model=self.use_model,
            base=self._build,
            evidence=self._evidence[evidence],
        )

    def for_file(self, path: str, evidence: tuple[str, ...]) -> str | None:
        """sha256 of the file's bytes and of everything that judged them; None: don't cache
        (not a regular file, over the size cap, unreadable)."""
        try:
            p = Path(path)
            if not p.is_file() or p.stat().st_size > MAX_BYTES:
                return None
            data = p.read_bytes()
        except OSError:
            return None
        return entry_key(data, self.settings(evidence, format_for(path)))
