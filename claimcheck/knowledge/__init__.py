"""The data: lexicon, cues, evidence, declared interventions; loading and schema. Imports: core,
ingest.
"""
