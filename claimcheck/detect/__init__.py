"""Claims out of sentences: rules, claim forms, page outline, qualifiers, the classifier. Imports:
core, ingest, knowledge, nlp.
"""
