"""The registry of rule codes, as ruff keeps one: each code once, with everything about it.

A code's entry holds its stable kebab-case name, its level (the SARIF level; GitHub's
annotation follows it), its one-line title, its documentation page (what it flags, why it
matters, an example, a compliant rewrite, references) and, for a claim rule, the (claim
type, situation) it covers. The rubric's ``RULE_CODES``, ``claimcheck rule``, the SARIF
rule list, the notices' codes and docs/rules.md are all derived from it, so adding a code
is one entry here (docs/rules.md is regenerated: ``python -m claimcheck.core.rules_markdown``).
Codes are never reused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# References, with URLs only as given in the project's rubric reference.
_CAP_12 = "UK CAP Code, section 12 (medicines, medical devices, health-related products and beauty products)"
_AO_THERAPIES = "https://www.asa.org.uk/advice-online/health-therapies-general.html"
_AO_SUBSTANTIATION = "https://www.asa.org.uk/advice-online/substantiation-for-health-beauty-and-slimming-claims.html"
_AO_CONDITIONS = "https://www.asa.org.uk/advice-online/health-therapies-and-references-to-medical-conditions.html"
_ASA_SERIOUS = "https://www.asa.org.uk/resource/health-beauty-slimming-and-medical-conditions.html"
_AO_SAFE = "https://www.asa.org.uk/advice-online/types-of-claims-safe.html"
_MANNION = "https://www.asa.org.uk/rulings/eileen-mannion-acupuncture-a17-387447.html"
_FTC = "https://www.ftc.gov/business-guidance/resources/health-products-compliance-guidance"

LEVELS = ("error", "warning", "note")  # SARIF result levels, worst first
# A claim finding's level is its verdict's; a notice's is its code's.
VERDICT_LEVELS = {"unsupported": "error", "mixed": "warning", "supported": "note"}
CODE_SHAPE = re.compile(r"CC\d{3}")  # a rule code (fullmatch)
SELECTOR = re.compile(r"^CC\d{0,3}$")  # a code or a prefix of codes, as config and suppressions take them


@dataclass(frozen=True)
class Rule:
    """One rule code and everything about it."""

    code: str
    name: str  # stable kebab-case name, used as the SARIF rule name
    level: str  # one of LEVELS: the SARIF default level
    title: str  # one line: what the code means
    flags: str
    why: str
    example: str
    rewrite: str
    references: tuple[str, ...]
    covers: tuple[str, str] | None = None  # (claim type, situation) of a claim rule; None: a tool notice

    @property
    def is_notice(self) -> bool:
        return self.covers is None

    def markdown(self, depth: int = 1) -> str:
        """The documentation page; ``depth`` 2 nests it under a heading of its own."""
        h = "#" * depth
        refs = "\n".join(f"- {r}" for r in self.references)
        return (
            f"{h} {self.code} ({self.name})\n\n{self.title}.\n\n"
            f"{h}# What it flags\n\n{self.flags}\n\n"
            f"{h}# Why it matters\n\n{self.why}\n\n"
            f"{h}# Example\n\n{self.example}\n\n"
            f"{h}# Compliant rewrite\n\n{self.rewrite}\n\n"
            f"{h}# References\n\n{refs}\n"
        )


_EVIDENCE_WHY = (
    "UK CAP Code rule 12.1 requires documentary evidence, for therapies normally clinical trials on "
    "people, held before a health claim is made. The US FTC Health Products Compliance Guidance "
    "(December 2022) asks for competent and reliable scientific evidence, as a rule randomised "
    "controlled trials on humans, that fits the exact claim; a claim worded beyond that evidence "
    "misleads even when some evidence exists."
)
_NO_EVIDENCE_FIX = (
    "Remove the claim, or hold evidence for it: add an entry with citations to "
    "`rules/evidence/<intervention>.yaml` (docs/evidence-schema.md) or pass `--evidence DIR`. "
    "If you keep a sentence, describe what the therapy involves rather than what it achieves."
)

_REGISTRY = (
    Rule(
        "CC101",
        "efficacy-claim-with-evidence",
        level="warning",
        covers=("efficacy", "evidence"),
        title="Efficacy claim weighed against an evidence entry on file",
        flags="A statement that a therapy improves, treats or relieves a condition or outcome, when an "
        "evidence entry covers that topic. The verdict is the entry's, moved by the wording: "
        "certainty words ('proven', 'cures'), magnitude ('highly effective'), speed or durability "
        "beyond the evidence, sweeping populations, uncited appeals to research and condition "
        "lists step it down; an honest hedge within scope may lift a mixed row to supported.",
        why=_EVIDENCE_WHY + " Offering a therapy 'for' a condition is read as a claim to treat it, and "
        "an unqualified claim implies a lasting effect (ASA ruling on Eileen Mannion Acupuncture, 2017).",
        example='"Dry needling is highly effective for shoulder pain." The evidence is mixed and the '
        "magnitude wording steps it down to unsupported.",
        rewrite='"Dry needling may modestly reduce shoulder pain in the short term; the effect is small."',
        references=(
            f"{_CAP_12}, rule 12.1; CAP advice on health therapies: {_AO_THERAPIES}",
            f"CAP advice on substantiation for health claims: {_AO_SUBSTANTIATION}",
            f"ASA ruling, Eileen Mannion Acupuncture (2017): {_MANNION}",
            f"FTC Health Products Compliance Guidance (Dec 2022): {_FTC}",
        ),
    ),
    Rule(
        "CC102",
        "efficacy-claim-without-evidence",
        level="error",
        covers=("efficacy", "no_evidence"),
        title="Efficacy claim with no substantiation on file",
        flags="An efficacy claim for which no evidence entry exists, including a claim about a therapy "
        "with no evidence file at all (the reason names it). The verdict is unsupported, with the "
        "reason 'no substantiation on file'; a hedge ('may help'), a testimonial or a disclaimer "
        "does not change it. Sensory and well-being wording ('relaxing', 'a sense of well-being') "
        "is the exception: supported for every therapy.",
        why="Advertisers must hold evidence before they make a claim (CAP Code rule 12.1; FTC "
        "guidance). 'May help' and similar hedges do not lower the burden of proof.",
        example='"Dry needling improves your posture." No evidence entry covers posture.',
        rewrite=_NO_EVIDENCE_FIX + ' For example: "Our physiotherapists assess your posture and explain the treatment '
        'options with you."',
        references=(
            f"{_CAP_12}, rule 12.1; CAP advice on health therapies: {_AO_THERAPIES}",
            f"CAP advice on substantiation for health claims: {_AO_SUBSTANTIATION}",
            f"FTC Health Products Compliance Guidance (Dec 2022): {_FTC}",
        ),
    ),
    Rule(
        "CC103",
        "serious-condition-claim",
        level="error",
        covers=("efficacy", "serious"),
        title="Efficacy claim about a condition that needs medical supervision",
        flags="A claim to treat a condition on the CAP Code rule 12.2 list of conditions for which "
        "medical supervision should be sought (cancer, diabetes, epilepsy, heart disease, autoimmune "
        "disease, depression, asthma and others: the concepts flagged `serious` in rules/lexicon). "
        "The verdict is always unsupported, whatever the evidence on file; the `serious_condition` "
        "rule of rules/wording.yaml assigns this code.",
        why="CAP Code rule 12.2: marketers must not discourage essential treatment for conditions "
        "that need medical supervision, and must not offer advice, diagnosis or treatment for them "
        "unless a suitably qualified health professional supervises it.",
        example='"Dry needling can treat depression and diabetes."',
        rewrite="Do not claim to treat the condition. Refer to care under medical supervision without "
        'promising an effect: "If you live with diabetes, keep working with your GP or diabetes team."',
        references=(
            f"{_CAP_12}, rule 12.2; CAP guidance on medical conditions: {_ASA_SERIOUS}",
            f"CAP advice on health therapies and references to medical conditions: {_AO_CONDITIONS}",
        ),
    ),
    Rule(
        "CC201",
        "mechanism-claim-with-evidence",
        level="warning",
        covers=("mechanism", "evidence"),
        title="Mechanism claim weighed against an evidence entry on file",
        flags="A statement of how a therapy works ('releases endorphins', 'shifts M1 to M2 "
        "macrophages', 'resets the muscle'), when an evidence entry covers that mechanism. Stating "
        "a mechanism as complete fact steps the verdict down.",
        why="Mechanism claims need human evidence for that mechanism; a plausible story, a narrative "
        "paper or an animal study alone is not trial evidence (CAP advice; ASA ruling on ProBack "
        "Clinics, 2017). The FTC treats animal and in-vitro data alone as insufficient.",
        example='"Dry needling shifts the balance from M1 to M2 macrophages, converting chronic inflammation '
        'into healing." The evidence is from animal studies.',
        rewrite='"One theory, so far tested only in animals, is that needling changes how immune cells behave '
        'around an injury; this has not been shown in people."',
        references=(
            f"CAP advice on health therapies: {_AO_THERAPIES}",
            f"CAP advice on references to medical conditions: {_AO_CONDITIONS}",
            f"FTC Health Products Compliance Guidance (Dec 2022): {_FTC}",
        ),
    ),
    Rule(
        "CC202",
        "mechanism-claim-without-evidence",
        level="error",
        covers=("mechanism", "no_evidence"),
        title="Mechanism claim with no substantiation on file",
        flags="A mechanism claim ('flushes out toxins', 'recharges the nervous system') for which no "
        "evidence entry exists. The verdict is always unsupported.",
        why="Detox, immune-boosting, realignment and nervous-system 'recharge' claims are the kind "
        "the ASA has repeatedly ruled misleading without trials; the CAP Code requires the evidence "
        "to be held first.",
        example='"Dry needling flushes toxins out of your muscles."',
        rewrite=_NO_EVIDENCE_FIX
        + ' For example: "Dry needling uses thin needles inserted into tight bands of muscle."',
        references=(
            f"CAP advice on health therapies: {_AO_THERAPIES}",
            f"CAP advice on substantiation for health claims: {_AO_SUBSTANTIATION}",
            f"FTC Health Products Compliance Guidance (Dec 2022): {_FTC}",
        ),
    ),
    Rule(
        "CC301",
        "safety-claim-with-evidence",
        level="warning",
        covers=("safety", "evidence"),
        title="Safety claim weighed against an evidence entry on file",
        flags="A risk statement ('very safe', 'no side effects', 'serious problems in fewer than 1 in "
        "10,000 treatments') when an evidence entry covers that risk. Minimisers that contradict "
        "common mild side effects, and precise figures without a traceable source, step it down.",
        why="Proof is needed before implying that a treatment is safe or free of side effects; '100% "
        "safe' and 'natural so no side effects' claims have been ruled misleading (CAP advice on "
        "'safe' claims). The FTC expects safety claims to be substantiated and material risks disclosed.",
        example='"Dry needling is very safe with no side effects."',
        rewrite='"Soreness and bruising are common and settle within a few days; serious complications such '
        'as a collapsed lung are rare."',
        references=(
            f"CAP advice on 'safe' claims: {_AO_SAFE}",
            f"FTC Health Products Compliance Guidance (Dec 2022): {_FTC}",
        ),
    ),
    Rule(
        "CC302",
        "safety-claim-without-evidence",
        level="error",
        covers=("safety", "no_evidence"),
        title="Safety claim with no substantiation on file",
        flags="A safety claim for which no evidence entry exists. The verdict is always unsupported.",
        why="A safety claim is an objective claim and needs the same evidence as any other; the reader "
        "relies on it to decide whether a treatment is right for them.",
        example='"Cupping is completely safe during pregnancy."',
        rewrite=_NO_EVIDENCE_FIX + ' For example: "Tell your practitioner if you are pregnant; they will advise '
        'whether treatment is suitable."',
        references=(
            f"CAP advice on 'safe' claims: {_AO_SAFE}",
            f"FTC Health Products Compliance Guidance (Dec 2022): {_FTC}",
        ),
    ),
    Rule(
        "CC401",
        "comparative-claim-with-evidence",
        level="warning",
        covers=("comparative", "evidence"),
        title="Comparative claim weighed against an evidence entry on file",
        flags="A claim that a therapy is better, safer or faster than another option, or adds to it "
        "('more effective than manual therapy', 'combine it with rehab for best results'), when an "
        "evidence entry covers that comparison. Claiming only comparability ('about as effective "
        "as') may lift the verdict; magnitude wording steps it down.",
        why="A comparison needs head-to-head evidence against the named comparator. The FTC asks that "
        "the whole body of evidence, including contrary studies, be weighed and that it fit the "
        "claim made.",
        example='"Dry needling is more effective than manual therapy."',
        rewrite='"In some trials, dry needling gave short-term pain relief similar to other physiotherapy treatments."',
        references=(
            f"CAP advice on substantiation for health claims: {_AO_SUBSTANTIATION}",
            f"FTC Health Products Compliance Guidance (Dec 2022): {_FTC}",
        ),
    ),
    Rule(
        "CC402",
        "comparative-claim-without-evidence",
        level="error",
        covers=("comparative", "no_evidence"),
        title="Comparative claim with no substantiation on file",
        flags="A comparative claim for which no evidence entry exists. The verdict is always unsupported.",
        why="Without head-to-head evidence a comparison cannot be substantiated, and it may also "
        "discourage people from a treatment that works for them.",
        example='"Dry needling is safer than painkillers."',
        rewrite=_NO_EVIDENCE_FIX + ' For example: "Dry needling is a drug-free option; ask us how it compares with '
        'other treatments for your condition."',
        references=(
            f"CAP advice on substantiation for health claims: {_AO_SUBSTANTIATION}",
            f"FTC Health Products Compliance Guidance (Dec 2022): {_FTC}",
        ),
    ),
    Rule(
        "CC901",
        "stale-evidence",
        level="note",
        title="Tool notice: the matched evidence entry is due for review",
        flags="An evidence entry whose `last_reviewed` date is more than 24 months old was used to "
        "judge a claim. The finding is still reported; the notice is for the evidence maintainer.",
        why="Substantiation must be current: newer trials may contradict an old summary, and the FTC "
        "asks advertisers to weigh the whole body of evidence, contrary studies included.",
        example="`CC901 evidence dn.pain.low_back was last reviewed 2023-01-01 (over 24 months ago)`",
        rewrite="Review the entry against the current literature, update its summary, verdict and "
        "citations if needed, and set `last_reviewed` to today (docs/evidence-schema.md); then run "
        "`claimcheck evidence validate`.",
        references=(f"FTC Health Products Compliance Guidance (Dec 2022): {_FTC}",),
    ),
    Rule(
        "CC902",
        "suppression-without-reason",
        level="note",
        title="Tool notice: a suppression comment gives no reason",
        flags="A `claimcheck-disable-next-line`, `claimcheck-disable` or `claimcheck-disable-file` comment "
        "with nothing after `--` (or an em dash). The comment still suppresses what it names; the "
        "notice sits at the comment's line and column.",
        why="A suppression is a decision to publish a claim the tool flagged. Without a reason on "
        "record nobody can later tell a legal sign-off from a silenced warning, and such comments "
        "pile up unreviewed.",
        example="`<!-- claimcheck-disable-next-line CC101 -->` above a claim.",
        rewrite="Say why the claim may stay, after `--`: `<!-- claimcheck-disable-next-line CC101 -- quoted "
        "from the NICE guideline, reviewed by legal 2024-05 -->`.",
        references=(f"CAP advice on substantiation for health claims: {_AO_SUBSTANTIATION}",),
    ),
    Rule(
        "CC903",
        "unused-suppression",
        level="note",
        title="Tool notice: a suppression comment suppresses nothing",
        flags="A suppression comment that no finding of the codes it names falls under: the claim was "
        "reworded or removed, the comment sits on the wrong line, or it names another code. The "
        "notice sits at the comment.",
        why="A stale comment hides nothing today but would silently hide a new claim written under it tomorrow.",
        example="`<!-- claimcheck-disable-next-line CC2 -- reviewed -->` above a sentence with no mechanism claim.",
        rewrite="Delete the comment, or move it directly above the claim it is meant for and name that "
        "claim's code (`claimcheck check FILE -f concise` shows the codes).",
        references=(f"CAP advice on substantiation for health claims: {_AO_SUBSTANTIATION}",),
    ),
    Rule(
        "CC904",
        "malformed-suppression",
        level="note",
        title="Tool notice: a suppression comment names something that is not a rule code",
        flags="A suppression comment with a word where a rule code or prefix belongs (`CC`, `CC1`, "
        "`CC101`), usually a reason written without the `--` in front of it. The whole comment is "
        "ignored rather than guessed at, so the findings under it are still reported.",
        why="Guessing which part of a malformed comment is a code could suppress more than the "
        "reviewer meant; ignoring it keeps every claim visible until the comment is fixed.",
        example="`<!-- claimcheck-disable-next-line CC101 because testimonial -->`",
        rewrite="Put the reason after `--`: `<!-- claimcheck-disable-next-line CC101 -- a patient's own "
        "words, marked as a testimonial -->`.",
        references=(f"CAP advice on substantiation for health claims: {_AO_SUBSTANTIATION}",),
    ),
)


RULES: dict[str, Rule] = {r.code: r for r in sorted(_REGISTRY, key=lambda r: r.code)}
# (claim type, situation) -> code: the code every claim finding carries (the rubric's table).
RULE_CODES: dict[tuple[str, str], str] = {r.covers: r.code for r in RULES.values() if r.covers is not None}
NOTICE_CODES: tuple[str, ...] = tuple(code for code, r in RULES.items() if r.is_notice)
RULE_DOCS: dict[str, str] = {code: r.markdown() for code, r in RULES.items()}


def code_named(name: str) -> str:
    """The code of the rule with this stable name (KeyError for an unknown name)."""
    for code, rule in RULES.items():
        if rule.name == name:
            return code
    raise KeyError(name)


# The notices' codes, for the modules that emit them.
STALE_EVIDENCE = code_named("stale-evidence")
SUPPRESSION_WITHOUT_REASON = code_named("suppression-without-reason")
UNUSED_SUPPRESSION = code_named("unused-suppression")
MALFORMED_SUPPRESSION = code_named("malformed-suppression")


def level_of(code: str, default: str = "note") -> str:
    """A code's level (``default`` for a code the registry does not know)."""
    rule = RULES.get(code)
    return rule.level if rule else default


RUBRIC_SUMMARY = (
    "## How the verdict is reached\n\n"
    "The general wording rules are data (rules/wording.yaml); each signs its reason with its id.\n\n"
    "- No evidence entry: unsupported ('no substantiation on file').\n"
    "- A condition on the CAP Code 12.2 list, a condition specific to babies or pregnancy, "
    "pseudo-physiology (detox, immune boosting, subluxation), a medicinal claim for a drip or "
    "PRP: unsupported, whatever the entry.\n"
    "- A statement that the evidence is missing ('there is no good evidence that ...'): supported.\n"
    "- Sensory and well-being wording (relaxing, a sense of well-being): supported for every "
    "therapy, evidence file or not.\n"
    "- Otherwise the entry's verdict, moved by the wording: each over-reach (certainty, guarantees, "
    "magnitude, speed of results, durability, scope, sweeping populations, figures without a source, "
    "calorie and fat-loss figures, uncited appeals to research, condition lists, 'very safe' without "
    "the side effects, 'painless', 'natural', an unqualified 'Dr') steps it down one level "
    "(supported -> mixed -> unsupported), each on a line of its own; a statement of the evidence's limits, or a "
    "hedge within the scope of a research-graded row, may lift it; nothing lifts unsupported to "
    "supported; testimonials, tradition, 'research exists' lists, disclaimers and 'may' never "
    "lift a verdict.\n"
    "- Levels: " + ", ".join(f"{verdict} = {level}" for verdict, level in VERDICT_LEVELS.items()) + ".\n"
)


def get_rule_doc(code: str) -> str | None:
    """The Markdown page for a rule code (case-insensitive), or None for an unknown code."""
    return RULE_DOCS.get(code.strip().upper())
