"""The cue ids the code reads by name, in one place, checked when the rules load.

Most cues are data the code never names; a few it does ("comparative", "hedge", "speed").
Each module that names cues declares them in its ``REQUIRED_CUES``; this module collects
those sets so that the Checker (at start-up) and ``claimcheck evidence validate`` can tell
a cue file that lacks one, naming the module that reads it, instead of a rule that silently
never fires. The qualifiers a report shows must also be qualifier cues.
"""

from __future__ import annotations

from claimcheck.core import records
from claimcheck.core.yamlio import SchemaError
from claimcheck.detect import claim_forms, extract, qualifiers
from claimcheck.judge import highlights, rubric
from claimcheck.knowledge import wording_rules
from claimcheck.knowledge.lexicon import Lexicon, missing_cues
from claimcheck.nlp import clauses, sentences

# Module name -> the cue ids it reads by name.
READERS = (records, clauses, sentences, qualifiers, claim_forms, extract, wording_rules, rubric, highlights)
CODE_CUES: dict[str, frozenset[str]] = {module.__name__: module.REQUIRED_CUES for module in READERS}


def code_cue_errors(lexicon: Lexicon) -> list[SchemaError]:
    """Every cue id the code reads that the lexicon's cue file lacks, and every reported
    qualifier that is not of group ``qualifier``."""
    errors = [e for module, ids in CODE_CUES.items() for e in missing_cues(lexicon, module, ids)]
    for name in records.QUALIFIER_FIELDS:
        cue = lexicon.cues.get(name)
        if cue is not None and cue.group != "qualifier":
            errors.append(
                SchemaError(
                    cue.source or lexicon.cue_file,
                    cue.line,
                    f"{name}.group",
                    f"must be qualifier: reports show it as one ({records.__name__}.QUALIFIER_FIELDS)",
                )
            )
    return errors


def check_code_cues(lexicon: Lexicon) -> None:
    """Raise the first of ``code_cue_errors``."""
    errors = code_cue_errors(lexicon)
    if errors:
        raise errors[0]
