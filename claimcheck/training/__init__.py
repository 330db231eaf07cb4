"""The labelled corpus, model training and evaluation. Imports: everything but project and cli."""
