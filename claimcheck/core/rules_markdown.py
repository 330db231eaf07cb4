"""docs/rules.md, written from the rule registry (core/rule_codes.py) so it cannot drift.

    python -m claimcheck.core.rules_markdown > docs/rules.md

tests/test_rule_registry.py fails when the committed file differs from what this writes.
The prose around the pages (numbering, levels, reason tags, notices in reports) lives here.
"""

from __future__ import annotations

import sys

from claimcheck.core.rule_codes import NOTICE_CODES, RULE_CODES, RULES, VERDICT_LEVELS

COMMAND = "python -m claimcheck.core.rules_markdown > docs/rules.md"

_INTRO = """\
Codes are stable: a code is never reused for a different check. `CC1xx` efficacy,
`CC2xx` mechanism, `CC3xx` safety, `CC4xx` comparative, `CC9xx` tool notices. Every
finding's verdict comes from the rubric (docs/rubric.md); the code says which kind of
claim it is and what it was weighed against. The general wording rules that move a
verdict are data, `rules/wording.yaml`; each signs the reasons it writes with its id (for
example `[testimonial]`), so a reviewer sees which rule did what.
"""

_NOTICES = """\
They are reported like findings in every format, each at its own line and column:
`path:line:col: CODE [notice] …` in `concise` and `text`, a `notice` annotation with
`line=` and `col=` in `github`, a `note` result with a region in SARIF, objects with `rule`,
`line`, `column` and `message` in JSON. `claimcheck rule CODE` prints a code's page.
"""


def _levels() -> str:
    verdicts = ", ".join(f"{verdict} = `{level}`" for verdict, level in VERDICT_LEVELS.items())
    return (
        "The level is the code's default level in SARIF (`defaultConfiguration`). A claim "
        f"finding's own level is its verdict's ({verdicts}; in `github` a `note` is a `::notice`); "
        "a notice's level is its code's.\n"
    )


def _index() -> str:
    rows = [f"| {r.code} | `{r.name}` | {r.level} | {r.title} |" for r in RULES.values()]
    return "| Code | Name | Level | Meaning |\n|---|---|---|---|\n" + "\n".join(rows) + "\n"


def _reason_tags() -> str:
    no_evidence = ", ".join(code for (_, situation), code in RULE_CODES.items() if situation == "no_evidence")
    serious = RULE_CODES[("efficacy", "serious")]
    return (
        "A finding's reasons say which wording rule of `rules/wording.yaml` decided what. A claim "
        f"with no evidence entry ({no_evidence}) is unsupported with the reason "
        '`[no_substantiation]`; sensory and well-being wording ("relaxing", "a sense of '
        'well-being") is supported for every therapy with `[sensory_wellbeing]`; hedges, '
        f"testimonials and disclaimers change neither. {serious} comes from the `serious_condition` "
        f"rule (`code: {serious}`), whose reason is the finding's first.\n"
    )


def rules_markdown() -> str:
    """The whole of docs/rules.md."""
    pages = "\n".join(rule.markdown(depth=2) for rule in RULES.values())
    notices = ", ".join(NOTICE_CODES)
    return (
        f"<!-- Generated from claimcheck/core/rule_codes.py by `{COMMAND}`;\n"
        "     edit the registry, not this file (tests/test_rule_registry.py checks it). -->\n\n"
        "# Rule codes\n\n"
        f"{_INTRO}\n{_index()}\n{_levels()}\n"
        f"## Reason tags\n\n{_reason_tags()}\n"
        f"## Notices in reports\n\n{notices} are tool notices, not claims. {_NOTICES}\n"
        f"{pages}"
    )


if __name__ == "__main__":
    sys.stdout.buffer.write(rules_markdown().encode("utf-8"))
