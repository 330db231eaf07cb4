"""The Checker: one document from text to findings. Imports: every stage above, not report."""
