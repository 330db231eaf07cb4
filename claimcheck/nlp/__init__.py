"""The spaCy pipeline, matchers, sentence and clause units. Imports: core, knowledge."""
