"""JSON for the hot paths (cache entries, the JSON report's findings): orjson when it is
installed (a dependency: several times faster than the standard library at both ends),
else the standard library with the same compact output, so the text is the same either way
(except for floats that need an exponent, below 1e-4 or from 1e16 up, which the reports never
hold: their numbers are offsets, line numbers and confidences rounded to three places).
"""

from __future__ import annotations

import json
from typing import Any

try:
    import orjson
except ImportError:  # pragma: no cover - orjson is a dependency; this keeps a broken install working
    orjson = None


def dumps(value: Any) -> str:
    """Compact JSON text (no spaces after separators), non-ASCII characters kept as they are."""
    if orjson is not None:
        return orjson.dumps(value, default=_plain).decode("utf-8")
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def loads(data: str | bytes) -> Any:
    """Parse JSON text; ``ValueError`` (json's or orjson's, a subclass) when it is invalid."""
    if orjson is not None:
        return orjson.loads(data)
    return json.loads(data)


def _plain(value: Any) -> Any:
    """What the standard library would write for a value orjson does not take: numbers of
    numpy's types and other subclasses of int, float and str."""
    for kind in (bool, int, float, str):
        if isinstance(value, kind):
            return kind(value)
    item = getattr(value, "item", None)  # numpy scalars
    if callable(item):
        return item()
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")
