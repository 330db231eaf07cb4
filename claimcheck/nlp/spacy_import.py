"""Importing spaCy without its command line, which claimcheck never runs.

A speed trick with a safety net: whatever goes wrong in it, the result is a plain
``import spacy``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from types import ModuleType

_SPACY_CLI_LINE = "from .cli.info import info"
_STAND_IN = "__claimcheck_stand_in__"  # marks the stand-in modules, so cleanup removes only them


def import_spacy() -> ModuleType:
    """``import spacy``, without spaCy's command line when that is safe.

    spaCy's ``__init__`` imports ``spacy.cli`` (weasel, httpx, requests, jinja2 ...) only to
    re-export ``spacy.info``: about a quarter of a second of every cold start, for code
    claimcheck never runs. When that is the only use of ``spacy.cli`` in spaCy's
    ``__init__``, a stand-in ``spacy.cli.info`` is put in place for the import and removed
    right after, so a later ``import spacy.cli`` imports the real one, and ``spacy.info``
    imports it when called. Otherwise (another spaCy version), a plain import; and a plain
    import too, once the stand-ins are gone, if anything in the shortcut fails.
    """
    import sys

    if "spacy" in sys.modules:
        return sys.modules["spacy"]
    try:
        return _import_spacy_without_cli()
    except Exception:
        _remove_stand_ins()
    import spacy

    return spacy


def _import_spacy_without_cli() -> ModuleType:
    """The shortcut of ``import_spacy``: a plain import where spaCy's ``__init__`` is not
    the one it knows; the stand-ins are removed however the import ends."""
    import importlib.util
    import sys
    import types

    spec = importlib.util.find_spec("spacy")
    init = ""
    if spec is not None and spec.origin:
        with open(spec.origin, encoding="utf-8") as fh:
            init = fh.read()
    if init.count("cli") != 1 or init.count(_SPACY_CLI_LINE) != 1 or "spacy.cli" in sys.modules:
        import spacy

        return spacy

    def info(*args, **kwargs):
        return importlib.import_module("spacy.cli.info").info(*args, **kwargs)

    package = types.ModuleType("spacy.cli")
    package.__path__ = []
    module = types.ModuleType("spacy.cli.info")
    module.info = info  # type: ignore[attr-defined]
    for stand_in in (package, module):
        setattr(stand_in, _STAND_IN, True)
    sys.modules["spacy.cli"], sys.modules["spacy.cli.info"] = package, module
    try:
        import spacy
    finally:
        _remove_stand_ins()
    return spacy


def _remove_stand_ins() -> None:
    """Takes the stand-in ``spacy.cli`` modules out of ``sys.modules`` and off ``spacy``."""
    import sys

    for name in ("spacy.cli.info", "spacy.cli"):
        if getattr(sys.modules.get(name), _STAND_IN, False):
            del sys.modules[name]
    loaded = sys.modules.get("spacy")
    if loaded is not None and getattr(getattr(loaded, "cli", None), _STAND_IN, False):
        delattr(loaded, "cli")
