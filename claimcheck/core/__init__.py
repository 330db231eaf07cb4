"""Records, errors, rule codes and small utilities. Imports nothing else of claimcheck."""
