"""A content-addressed cache of per-file results in .claimcheck_cache/.

Why: spaCy plus the classifier cost far more per sentence than a regex linter, and CI
re-runs mostly see unchanged pages. A result depends only on the file's bytes and on
what judged them, so the key is sha256(bytes, claimcheck version, settings), where the
caller's settings string covers everything else that changes a result: the format the
bytes are parsed as, min-confidence, and hashes of the rules, evidence and model (see
``digest_files`` and ``settings_key``). Paths are not in the key: a moved page is a hit.

The folder carries a CACHEDIR.TAG (backup tools skip it) and a .gitignore of "*" (git
never offers it), like ruff's .ruff_cache. Entries are written atomically, so parallel
workers never read half an entry; a corrupt or outdated entry is a miss, never an error.

Trust: the folder lives in the project, so anyone who can commit to it (``git add -f``) or
restore it in CI could plant an entry that says a page has no claims. Every entry is
therefore signed (HMAC-SHA256) with a per-user key kept outside the project
(``$CLAIMCHECK_CACHE_KEY``, else ``$XDG_CACHE_HOME/claimcheck/cache-key``, else
``~/.cache/claimcheck/cache-key``; created on first use, readable by its owner only), and an
entry is used only when its signature is this key's and every field has exactly the type
and range this version writes. Anything else -- another user's entry, an edited one, a
FIFO, a link, an oversized file -- is a miss. Without a usable key the cache is off.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import hmac
import json
import os
import re
import secrets
import shutil
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from claimcheck import __version__
from claimcheck.core import fastjson
from claimcheck.core.escape import surrogates
from claimcheck.core.fileio import read_regular, write_atomic
from claimcheck.core.records import Citation, Claim, EvidenceMatch, FileResult, Finding, Highlight, Notice, Qualifiers
from claimcheck.project.cache_schema import valid_result

CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by claimcheck.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)
# 2: claims, citations and reasons stored once per entry, by index; 3: evidence, highlights,
# notices; 4: signed (HMAC) and validated field by field (cache_schema.py); 5: a notice
# carries its evidence id
ENTRY_VERSION = 5
ENTRY_MAGIC = b"claimcheck-cache-entry 5 hmac-sha256="
ENTRY_MAX_BYTES = 64 * 1024 * 1024  # larger results are not cached (and larger files never read)
# A result with more findings is not cached: encoding (and later decoding) its entry would
# roughly double the memory a run of such a file needs (bench/README.md).
ENTRY_MAX_FINDINGS = 20_000
KEY_ENV = "CLAIMCHECK_CACHE_KEY"
FINDING_SCALARS = tuple(
    f.name
    for f in dataclasses.fields(Finding)
    if f.name not in ("claim", "citations", "reasons", "evidence", "highlights")
)

_MATCH_SCALARS = tuple(f.name for f in dataclasses.fields(EvidenceMatch) if f.name not in ("reasons", "citations"))


def result_to_dict(result: FileResult) -> dict[str, Any]:
    """Plain JSON-able data for a FileResult, every nested record included. Claims,
    citations and reasons repeat across findings (one claim can meet several evidence
    entries; one entry backs many claims), so each is stored once in a table and findings
    refer to it by index, and a claim keeps only the qualifiers it has: entries are a
    fraction of the size and a cached run reads them several times faster."""
    tables: dict[str, dict[str, int]] = {"claim": {}, "citation": {}, "reason": {}}
    rows: dict[str, list[Any]] = {"claim": [], "citation": [], "reason": []}

    def ref(kind: str, value: Any, key: str) -> int:
        if key not in tables[kind]:
            tables[kind][key] = len(rows[kind])
            rows[kind].append(value)
        return tables[kind][key]

    findings = []
    for finding in result.findings:
        claim = dataclasses.asdict(finding.claim)
        claim["qualifiers"] = finding.claim.qualifiers.present()
        row = {name: getattr(finding, name) for name in FINDING_SCALARS}
        row["claim"] = ref("claim", claim, str(id(finding.claim)))
        row["citations"] = [
            ref("citation", c.__dict__, json.dumps(c.__dict__, sort_keys=True)) for c in finding.citations
        ]
        row["reasons"] = [ref("reason", r, r) for r in finding.reasons]
        row["evidence"] = [
            {
                **{k: getattr(e, k) for k in _MATCH_SCALARS},
                "reasons": [ref("reason", r, r) for r in e.reasons],
                "citations": [ref("citation", c.__dict__, json.dumps(c.__dict__, sort_keys=True)) for c in e.citations],
            }
            for e in finding.evidence
        ]
        row["highlights"] = [[h.start, h.end, h.why, h.text] for h in finding.highlights]
        findings.append(row)
    return {
        "path": surrogates(result.path),
        "error": result.error,
        "notices": [[n.rule, n.message, n.line, n.column, n.evidence_id] for n in result.notices],
        "source": result.source,
        "fmt": result.fmt,
        "findings": findings,
        "claim_table": rows["claim"],
        "citation_table": rows["citation"],
        "reason_table": rows["reason"],
    }


def result_from_dict(d: dict[str, Any]) -> FileResult:
    """The inverse of result_to_dict; TypeError/KeyError/IndexError when the shape does not match."""
    claims = [Claim(**{**c, "qualifiers": Qualifiers(**c["qualifiers"])}) for c in d["claim_table"]]
    citations = [Citation(**c) for c in d["citation_table"]]
    reasons = d["reason_table"]
    findings = [
        Finding(
            **{name: f[name] for name in FINDING_SCALARS},
            claim=claims[f["claim"]],
            citations=[citations[i] for i in f["citations"]],
            reasons=[reasons[i] for i in f["reasons"]],
            evidence=[
                EvidenceMatch(
                    **{k: e[k] for k in _MATCH_SCALARS},
                    reasons=[reasons[i] for i in e["reasons"]],
                    citations=[citations[i] for i in e["citations"]],
                )
                for e in f["evidence"]
            ],
            highlights=[Highlight(*h) for h in f["highlights"]],
        )
        for f in d["findings"]
    ]
    notices = [Notice(*n) for n in d["notices"]]
    return FileResult(
        path=d["path"], error=d["error"], notices=notices, source=d["source"], fmt=d["fmt"], findings=findings
    )


def digest_files(paths: Iterable[Path]) -> str:
    """sha256 over files (folders walked, sorted): names and bytes. For rules, evidence, model.
    Only regular files are read (a FIFO or device among them is named, not read), in chunks."""
    h = hashlib.sha256()
    for root in paths:
        root = Path(root)
        files = sorted(root.rglob("*")) if root.is_dir() else [root]
        for f in files:
            name = f.relative_to(root).as_posix() if root.is_dir() else f.name
            h.update(f"{surrogates(name)}\0".encode())
            _digest_one(h, f)
        h.update(b"\1")
    return h.hexdigest()


def _digest_one(h: Any, path: Path) -> None:
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            h.update(b"<not a regular file>\0")
            return
        with open(path, "rb") as fh:
            h.update(f"{os.fstat(fh.fileno()).st_size}\0".encode())
            while chunk := fh.read(1 << 20):
                h.update(chunk)
    except OSError:
        h.update(b"<unreadable>\0")


def settings_key(**parts: Any) -> str:
    """A canonical settings string from named parts (format, min_confidence, digests...)."""
    return json.dumps(parts, sort_keys=True, default=str, separators=(",", ":"))


def entry_key(data: bytes, settings: str) -> str:
    """An entry's name: sha256 of the bytes, claimcheck's version and the settings string."""
    h = hashlib.sha256()
    for part in (data, __version__.encode(), settings.encode("utf-8")):
        h.update(len(part).to_bytes(8, "big"))  # length-prefixed: no two inputs collide
        h.update(part)
    return h.hexdigest()


def key_file() -> Path:
    """Where this user's signing key lives (see the module doc)."""
    if os.environ.get(KEY_ENV):
        return Path(os.environ[KEY_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "claimcheck" / "cache-key"


def _read_key(path: Path) -> bytes:
    """The key in ``path``: a regular file (not a link) of 64 hex digits, owned by this user and
    readable by nobody else. OSError or ValueError otherwise."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > 1024:
            raise ValueError(f"{path}: not a key file")
        if hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & 0o077):
            raise ValueError(f"{path}: a key must be private to its owner (chmod 600)")
        text = os.read(fd, 1025).decode("ascii", "replace").strip()
    finally:
        os.close(fd)
    if not re.fullmatch(r"[0-9a-f]{64}", text):
        raise ValueError(f"{path}: not a key file")
    return bytes.fromhex(text)


def load_key(path: Path | None = None) -> bytes | None:
    """This user's signing key, created on first use; None when it cannot be read or made."""
    path = Path(path) if path is not None else key_file()
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    except (OSError, ValueError):
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=".cache-key.", dir=str(path.parent))  # mode 0600
        try:
            with os.fdopen(fd, "w", encoding="ascii") as fh:
                fh.write(secrets.token_hex(32) + "\n")
            with contextlib.suppress(FileExistsError):
                os.link(tmp, path)  # never replaces a key another process made meanwhile
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        return _read_key(path)
    except (OSError, ValueError):
        return None


class ResultCache:
    """FileResults stored as signed JSON files named by their key.

    key_file: the signing key's file (default: ``key_file()``)."""

    def __init__(self, folder: Path = Path(".claimcheck_cache"), key_file: Path | None = None) -> None:
        self.folder = Path(folder)
        self._key_file = key_file
        self._secret: bytes | bool | None = False  # False: not loaded yet

    @property
    def secret(self) -> bytes | None:
        """The signing key, loaded (or created) on first use; None: the cache is off."""
        if self._secret is False:
            self._secret = load_key(self._key_file)
        return self._secret  # type: ignore[return-value]

    def _sign(self, payload: bytes) -> bytes:
        assert self.secret is not None
        return hmac.new(self.secret, payload, hashlib.sha256).hexdigest().encode("ascii")

    def key(self, data: bytes, settings: str) -> str:
        return entry_key(data, settings)

    def _entry(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def get(self, key: str, path: str | None = None) -> FileResult | None:
        """The stored result, or None: missing, unsigned or signed with another key, not a
        regular file, too large, corrupt, from another cache version, or any field not
        exactly as this version writes it.

        path: the file now being checked; it replaces the stored path, since equal bytes
        at two paths share an entry."""
        if self.secret is None or not re.fullmatch(r"[0-9a-f]{64}", key):
            return None
        try:
            raw = read_regular(self._entry(key), ENTRY_MAX_BYTES, follow_symlinks=False)
            header, _, payload = raw.partition(b"\n")
            if not header.startswith(ENTRY_MAGIC) or not hmac.compare_digest(
                header[len(ENTRY_MAGIC) :], self._sign(payload)
            ):
                return None
            entry = fastjson.loads(payload)
            if not isinstance(entry, dict) or set(entry) != {"version", "key", "result"}:
                return None
            if entry["version"] != ENTRY_VERSION or entry["key"] != key or not valid_result(entry["result"]):
                return None
            result = result_from_dict(entry["result"])
        except (OSError, ValueError, TypeError, KeyError, AttributeError, IndexError, RecursionError):
            return None
        if path is not None:
            result.path = path
        return result

    def _prepare(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        tag = self.folder / "CACHEDIR.TAG"
        if not tag.is_file():
            write_atomic(tag, CACHEDIR_TAG, follow_symlinks=False)
        ignore = self.folder / ".gitignore"
        if not ignore.is_file():
            write_atomic(ignore, "*\n", follow_symlinks=False)

    def put(self, key: str, result: FileResult) -> bool:
        """Store a signed result; False (and no exception) when the cache is off, the folder
        cannot be written, or the result is over ENTRY_MAX_FINDINGS or ENTRY_MAX_BYTES."""
        if len(result.findings) > ENTRY_MAX_FINDINGS:
            return False
        if self.secret is None or not re.fullmatch(r"[0-9a-f]{64}", key):
            return False
        payload = fastjson.dumps({"version": ENTRY_VERSION, "key": key, "result": result_to_dict(result)})
        data = payload.encode("utf-8")
        if len(data) > ENTRY_MAX_BYTES - 200:
            return False
        try:
            self._prepare()
            # The entry's name is replaced, never followed: a link planted there is not written through.
            text = ENTRY_MAGIC.decode() + self._sign(data).decode() + "\n" + payload
            write_atomic(self._entry(key), text, follow_symlinks=False)
        except OSError:
            return False
        return True

    def clear(self) -> None:
        """Remove the cache folder (only if it is ours: it has our CACHEDIR.TAG)."""
        tag = self.folder / "CACHEDIR.TAG"
        if tag.is_file() and tag.read_text(encoding="utf-8", errors="replace").startswith(CACHEDIR_TAG[:50]):
            shutil.rmtree(self.folder, ignore_errors=True)
