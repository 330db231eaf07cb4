"""Citations that cite: links go to PubMed, the DOI resolver or a regulator's own page; the place
a paper was only read (a copy on a file-sharing site or a blog) is kept as ``seen_at`` and is
never shown as the citation's link."""

from __future__ import annotations

import json

import pytest

from claimcheck.knowledge.citations import is_citing_link, link_kind
from claimcheck.knowledge.evidence import EvidenceBase
from claimcheck.knowledge.evidence_audit import validate_paths
from claimcheck.knowledge.lexicon import bundled_dir, load_lexicon

KNOWN = set(load_lexicon().concepts)

ENTRY = """\
intervention: dry_needling
entries:
  - id: org.neck.copy
    claim_type: efficacy
    topic: Neck pain, from a copy of a paper
    verdict: mixed
    certainty: low
    scope: Short-term neck pain.
    match: {all: [condition.neck_pain]}
    summary: Our summary.
    accepted_wording: Dry needling may ease neck pain for a few weeks.
    citations:
      - {ref: "A trial read on a copy", seen_at: "https://files.example.net/copy-of-trial.pdf"}
      - {ref: "A trial linked to a blog", url: "https://blog.example.net/trial"}
      - {ref: "Gattie 2017", pmid: "28158962", seen_at: "https://files.example.net/gattie.pdf"}
    last_reviewed: 2026-01-01
    examples:
      - {text: "Dry needling eases neck pain.", verdict: mixed}
    counter_examples: ["Dry needling eases migraines."]
"""


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://pubmed.ncbi.nlm.nih.gov/28158962/", "record"),
        ("https://pmc.ncbi.nlm.nih.gov/articles/PMC6209187", "record"),
        ("https://doi.org/10.2519/jospt.2017.7096", "record"),
        ("https://www.asa.org.uk/advice-online/health-reiki.html", "regulator"),
        ("https://asa.org.uk/rulings/allan-sweeney-a11-156258.html", "regulator"),
        ("https://www.accessdata.fda.gov/cms_ia/importalert_225.html", "regulator"),
        ("https://ftc.gov/node/40011", "regulator"),
        ("https://www.nice.org.uk/guidance/ipg311/chapter/2-The-procedure", "regulator"),
        ("https://www.scribd.com/document/527925639/Dry-1", None),
        ("https://www.zenosblog.com/2009/11/landmark-asa-ruling-on-asthma-and-colic/", None),
        ("https://asa.org.uk.example.net/rulings/x", None),
        ("not a url", None),
    ],
)
def test_link_kinds(url, kind):
    assert link_kind(url) == kind
    assert is_citing_link(url) is (kind is not None)


def test_seen_at_is_kept_but_is_never_the_link(tmp_path):
    folder = tmp_path / "ev"
    folder.mkdir()
    (folder / "org.yaml").write_text(ENTRY, encoding="utf-8")
    entry = EvidenceBase.load([folder], known_concepts=KNOWN).entries["org.neck.copy"]
    copy, _blog, gattie = entry.citations
    assert copy.seen_at == "https://files.example.net/copy-of-trial.pdf"
    assert copy.link is None and copy.to_json()["url"] is None
    assert copy.to_json()["seen_at"] == copy.seen_at
    assert gattie.link == "https://pubmed.ncbi.nlm.nih.gov/28158962/"


def test_validate_warns_on_links_that_do_not_cite(tmp_path):
    folder = tmp_path / "ev"
    folder.mkdir()
    (folder / "org.yaml").write_text(ENTRY, encoding="utf-8")
    report = validate_paths([folder], KNOWN)
    assert not report.errors
    flagged = [w for w in report.warnings if "neither PubMed" in w]
    assert len(flagged) == 1
    assert "https://blog.example.net/trial" in flagged[0]
    assert f"{folder / 'org.yaml'}:14:" in flagged[0]  # the citation's own line


def test_bundled_citation_links_all_cite():
    """Every bundled link is PubMed, a DOI or a regulator's page; copies are seen_at."""
    base = EvidenceBase.load(known_concepts=KNOWN)
    bad = [(e.id, c.url) for e in base.entries.values() for c in e.citations if c.url and not is_citing_link(c.url)]
    assert not bad
    assert any(c.seen_at for e in base.entries.values() for c in e.citations)


def test_validate_cli_reports_no_link_warnings_on_the_bundled_base(cli):
    out = cli("evidence", "validate", str(bundled_dir("rules") / "evidence"))
    assert out.returncode == 0, out.stdout.decode()
    assert "neither PubMed" not in out.stdout.decode()


def test_reports_link_pubmed_not_the_copy(cli, tmp_path):
    page = tmp_path / "p.md"
    page.write_text("Dry needling improves range of motion.\n", encoding="utf-8")
    out = cli("check", str(page), "-f", "json", "--no-cache")
    report = json.loads(out.stdout)
    cites = [c for f in report["files"][0]["findings"] for e in f["evidence"] for c in e["citations"]]
    assert cites
    for c in cites:
        assert c["url"] is None or is_citing_link(c["url"])
    assert any(c["seen_at"] and "scribd" in c["seen_at"] for c in cites)
