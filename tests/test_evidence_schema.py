"""Evidence files are validated on load; errors name the file, the line and the key."""

from __future__ import annotations

import shutil

import pytest

from claimcheck.core.yamlio import SchemaError
from claimcheck.knowledge.evidence import EvidenceBase
from claimcheck.knowledge.lexicon import bundled_dir, load_lexicon

KNOWN = set(load_lexicon().concepts)

GOOD_ENTRY = """\
intervention: dry_needling
entries:
  - id: org.neck
    claim_type: efficacy
    topic: Neck pain, our own review
    verdict: mixed
    certainty: low
    scope: Short-term neck pain.
    match: {all: [condition.neck_pain]}
    summary: Our summary.
    accepted_wording: Dry needling may ease neck pain for a few weeks.
    citations:
      - {ref: "Gattie 2017", pmid: "28158962"}
    last_reviewed: 2026-01-01
    examples:
      - {text: "Dry needling eases neck pain.", verdict: mixed}
    counter_examples: ["Dry needling eases migraines."]
"""


def _write(tmp_path, text: str):
    folder = tmp_path / "ev"
    folder.mkdir(exist_ok=True)
    (folder / "org.yaml").write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("broken", "line", "key"),
    [
        (GOOD_ENTRY.replace("verdict: mixed\n", "verdict: maybe\n", 1), 6, "entries[0].verdict"),
        (GOOD_ENTRY.replace('pmid: "28158962"', 'pmid: "abc"'), 13, "entries[0].citations[0].pmid"),
        (
            GOOD_ENTRY.replace('      - {ref: "Gattie 2017", pmid: "28158962"}\n', '      - {ref: "Gattie 2017"}\n'),
            13,
            "entries[0].citations[0]",
        ),
        (GOOD_ENTRY.replace("condition.neck_pain", "condition.no_such"), 9, "entries[0].match.all"),
        (
            GOOD_ENTRY.replace('    examples:\n      - {text: "Dry needling eases neck pain.", verdict: mixed}\n', ""),
            3,
            "entries[0].examples",
        ),
        (GOOD_ENTRY.replace("    certainty: low\n", "    certainty: low\n    colour: blue\n"), 8, "entries[0].colour"),
        (GOOD_ENTRY.replace("last_reviewed: 2026-01-01", "last_reviewed: someday"), 14, "entries[0].last_reviewed"),
    ],
)
def test_schema_errors_name_file_line_and_key(tmp_path, broken, line, key):
    folder = _write(tmp_path, broken)
    with pytest.raises(SchemaError) as info:
        EvidenceBase.load([folder], known_concepts=KNOWN)
    err = info.value
    assert err.path.endswith("org.yaml")
    assert err.line == line
    assert err.key == key
    assert str(err).startswith(f"{folder / 'org.yaml'}:{line}: {key}:")


def test_broken_yaml_syntax_names_the_line(tmp_path):
    folder = _write(tmp_path, "intervention: dry_needling\nentries:\n  - id: [oops\n")
    with pytest.raises(SchemaError) as info:
        EvidenceBase.load([folder], known_concepts=KNOWN)
    assert info.value.line is not None and "invalid YAML" in str(info.value)


def test_duplicate_ids_in_one_folder_are_errors(tmp_path):
    folder = _write(tmp_path, GOOD_ENTRY)
    (folder / "copy.yaml").write_text(GOOD_ENTRY, encoding="utf-8")
    with pytest.raises(SchemaError, match="duplicate evidence id"):
        EvidenceBase.load([folder], known_concepts=KNOWN)


def test_organisation_folder_overrides_bundled_entry_by_id(tmp_path):
    folder = _write(tmp_path, GOOD_ENTRY.replace("org.neck", "dn.pain.neck.short_term"))
    base = EvidenceBase.load([folder], known_concepts=KNOWN)
    assert base.entries["dn.pain.neck.short_term"].verdict == "mixed"
    assert base.entries["dn.pain.neck.short_term"].source.endswith("org.yaml")


def test_bundled_evidence_loads(tmp_path):
    shutil.copytree(bundled_dir("rules") / "evidence", tmp_path / "copy")
    base = EvidenceBase.load(known_concepts=KNOWN)
    assert len(base.entries) >= 57
