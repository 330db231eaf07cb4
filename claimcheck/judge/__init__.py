"""Verdicts: the rubric, wording rules, suggestions, highlights. Imports: core, knowledge, nlp,
detect.
"""
