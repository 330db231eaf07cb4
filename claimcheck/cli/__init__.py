"""The command line: a thin Typer layer. Imports: anything."""
