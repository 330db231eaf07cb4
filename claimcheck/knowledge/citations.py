"""Which citation links cite: PubMed, the DOI resolver, or a regulator's own page.

A citation's ``url`` is shown as its link, so it must lead to the source itself: a PubMed or
PubMed Central record, ``doi.org``, or the page of the regulator (or advertising
self-regulator) that made the ruling or published the guidance. Where a paper was only read
on a copy (a file-sharing site, a blog, a publisher mirror), the evidence entry keeps the
bibliographic reference and that place as ``seen_at``, which is never shown as the link.
``claimcheck evidence validate`` warns on any other link (docs/evidence-schema.md).
"""

from __future__ import annotations

from urllib.parse import urlsplit

# PubMed, PubMed Central and the DOI resolver.
RECORD_HOSTS = ("pubmed.ncbi.nlm.nih.gov", "www.ncbi.nlm.nih.gov", "ncbi.nlm.nih.gov", "pmc.ncbi.nlm.nih.gov",
                "pubmed.gov", "www.pubmed.gov", "doi.org", "dx.doi.org")  # fmt: skip
# Regulators and advertising self-regulators whose own pages are the source of a ruling or
# of guidance (a host counts with every subdomain: "www.asa.org.uk" is "asa.org.uk").
REGULATOR_DOMAINS = (
    "asa.org.uk",  # UK Advertising Standards Authority (rulings, Advice Online)
    "cap.org.uk",  # UK Committee of Advertising Practice
    "copyadvice.org.uk",  # CAP Copy Advice (older Advice Online)
    "ftc.gov",  # US Federal Trade Commission
    "fda.gov",  # US Food and Drug Administration (accessdata.fda.gov)
    "gpo.gov",  # US Code of Federal Regulations as published (edocket.access.gpo.gov)
    "ecfr.gov",
    "nice.org.uk",  # UK National Institute for Health and Care Excellence
    "nhs.uk",  # NHS England
    "gov.uk",  # UK government, MHRA
    "hcpc-uk.org",  # UK Health and Care Professions Council
    "adstandards.ie",  # Advertising Standards Authority for Ireland
    "bbbprograms.org",  # US National Advertising Division (self-regulation)
)


def _host(url: str) -> str:
    try:
        return (urlsplit(url.strip()).hostname or "").lower()
    except ValueError:
        return ""


def link_kind(url: str) -> str | None:
    """'record' (PubMed, PMC, doi.org), 'regulator', or None for any other page."""
    host = _host(url)
    if not host:
        return None
    if host in RECORD_HOSTS:
        return "record"
    if any(host == d or host.endswith("." + d) for d in REGULATOR_DOMAINS):
        return "regulator"
    return None


def is_citing_link(url: str) -> bool:
    """True when a link goes to PubMed, the DOI resolver or a regulator's own page."""
    return link_kind(url) is not None
