"""Text output for logs and pipes: ``path:line:col: CODE [verdict] type: "claim": message``,
one line a finding (every rubric step, short, then the evidence entries), then a summary."""

from __future__ import annotations

from claimcheck.core.escape import terminal
from claimcheck.core.records import Finding
from claimcheck.report.full import _positioned
from claimcheck.report.markdown import counts_line


def render_text(report, verbose: bool = False) -> str:
    """One line per finding and notice, in order of position; ``verbose`` adds every reason
    in full and the suggestion under each finding."""
    lines: list[str] = []
    for result in report.files:
        if result.error:
            continue  # errors go to standard error, one line each

        def finding_line(path: str, f: Finding) -> str:
            line = (
                f'{path}:{f.line}:{f.column}: {f.rule} [{f.verdict}] {f.claim.claim_type}: "{_short(f.claim.text)}": '
            )
            line += f.message
            # Page copy, file names and evidence text never reach the terminal raw (escape.py):
            # each line is escaped on its own, so the reasons under a finding stay lines.
            line = terminal(line)
            if verbose:
                line += "".join(f"\n    - {terminal(r)}" for r in f.reasons if not r.startswith("verdict: "))
                if f.suggestion:
                    line += f"\n    suggestion: {terminal(f.suggestion)}"
            return line

        lines.extend(line for _, line in _positioned(result, finding_line))  # notice lines come escaped
    lines.append(counts_line(report))
    return "\n".join(lines) + "\n"


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
