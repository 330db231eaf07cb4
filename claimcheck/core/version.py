"""claimcheck's version, in a module of its own: the stages that need it (a fetch's
User-Agent) import it from here, not from the package root, which imports the pipeline."""

__version__ = "0.1.0"
