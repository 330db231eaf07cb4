"""Text the command line prints besides the reports: the progress bar on standard error and
an evidence entry's description (``claimcheck explain``)."""

from __future__ import annotations


class ProgressBar:
    """A rich progress bar on standard error, shown only for runs of at least ``minimum`` files."""

    def __init__(self, minimum: int) -> None:
        self.minimum = minimum
        self.progress = None
        self.task = None

    def start(self, total: int) -> None:
        if total < self.minimum:
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.progress = Progress(
            TextColumn("checking"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self.progress.start()
        self.task = self.progress.add_task("check", total=total)

    def advance(self, n: int) -> None:
        if self.progress is not None:
            self.progress.advance(self.task, n)

    def stop(self) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None


def describe_entry(entry) -> str:
    lines = [
        f"{entry.id}: {entry.topic}",
        f"  intervention: {entry.intervention}    claim type: {entry.claim_type}",
        f"  verdict: {entry.verdict}    certainty: {entry.certainty}    basis: {entry.basis}"
        + (" (position inferred: no regulator entry or ruling on this therapy was found)" if entry.inferred else ""),
        f"  scope: {entry.scope}",
        f"  summary: {entry.summary}",
        f"  accepted wording: {entry.accepted_wording or '(none: nothing on this topic can be claimed)'}",
        f"  last reviewed: {entry.last_reviewed.isoformat()}",
        "  citations:",
    ]
    for cit in entry.citations:
        design = f" [{cit.design}]" if cit.design else ""
        lines.append(f"    - {cit.ref}{design}")
        if cit.pmid:
            lines.append(f"      https://pubmed.ncbi.nlm.nih.gov/{cit.pmid}/")
        if cit.doi:
            lines.append(f"      https://doi.org/{cit.doi}")
        if cit.url and not (cit.pmid or cit.doi):
            lines.append(f"      {cit.url}")
        if cit.seen_at:
            lines.append(f"      seen at (a copy, not the source): {cit.seen_at}")
    lines.append(f"  source: {entry.source}:{entry.line}")
    return "\n".join(lines)
