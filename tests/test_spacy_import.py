"""The spaCy import shortcut: faster when it can be, a plain ``import spacy`` when it cannot.

Each test runs in a fresh interpreter, since spaCy can only be imported once per process.
"""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO

# After the import: spaCy works, no stand-in module is left anywhere, and spaCy's command line
# (``spacy.info``, ``import spacy.cli``) is the real one.
CHECK_AFTERWARDS = """
stand_ins = [name for name, mod in list(sys.modules.items()) if getattr(mod, "__claimcheck_stand_in__", False)]
assert not stand_ins, stand_ins
assert [t.text for t in spacy.blank("en")("Needles help.")] == ["Needles", "help", "."]
info = spacy.info(silent=True)
assert info["spacy_version"] == spacy.__version__, info
import spacy.cli
assert spacy.cli.__file__.endswith("__init__.py") and callable(spacy.cli.info)
print("ok")
"""


def _python(code: str) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh interpreter (spaCy not yet imported) from the repository root."""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=300)


def _passes(code: str) -> None:
    """``code`` runs cleanly in a fresh interpreter, and spaCy works afterwards."""
    out = _python(code + CHECK_AFTERWARDS)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_the_shortcut_skips_spacy_cli_and_leaves_it_working():
    _passes(
        "import sys\n"
        "from claimcheck.nlp.spacy_import import import_spacy\n"
        "spacy = import_spacy()\n"
        "assert 'spacy.cli' not in sys.modules and 'weasel' not in sys.modules\n"
        "assert 'cli' not in vars(spacy)\n"
    )


def test_a_failure_while_spacy_imports_behind_the_stand_ins_falls_back_to_a_plain_import():
    """spaCy's own import fails once, after its ``__init__`` has read the stand-in ``spacy.cli.info``."""
    _passes(
        "import sys\n"
        "class FailOnce:\n"
        "    failed = False\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'spacy.glossary' and not FailOnce.failed:\n"
        "            FailOnce.failed = True\n"
        "            assert 'spacy.cli.info' in sys.modules  # the stand-in is in place\n"
        "            raise RuntimeError('something unforeseen')\n"
        "        return None\n"
        "sys.meta_path.insert(0, FailOnce())\n"
        "from claimcheck.nlp.spacy_import import import_spacy\n"
        "spacy = import_spacy()\n"
        "assert FailOnce.failed\n"
    )


def test_a_failure_before_the_stand_ins_falls_back_to_a_plain_import():
    _passes(
        "import importlib.util, sys\n"
        "def broken(*args, **kwargs):\n"
        "    raise RuntimeError('something unforeseen')\n"
        "importlib.util.find_spec = broken\n"
        "from claimcheck.nlp.spacy_import import import_spacy\n"
        "spacy = import_spacy()\n"
        "assert 'spacy.cli' in sys.modules  # the plain import loaded the real command line\n"
    )


def test_a_spacy_that_cannot_be_imported_raises_what_a_plain_import_raises():
    """The fallback hides no real failure: with spaCy's package unfindable, ImportError."""
    out = _python(
        "import sys\n"
        "class Hide:  # as if spaCy were not installed\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'spacy' or name.startswith('spacy.'):\n"
        "            raise ModuleNotFoundError(name)\n"
        "sys.meta_path.insert(0, Hide())\n"
        "from claimcheck.nlp.spacy_import import import_spacy\n"
        "try:\n"
        "    import_spacy()\n"
        "except ModuleNotFoundError as exc:\n"
        "    print('ModuleNotFoundError', exc)\n"
        "print(sorted(m for m in sys.modules if m.startswith('spacy')))\n"
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["ModuleNotFoundError spacy", "[]"]
