"""`python -m claimcheck` runs the command line."""

from claimcheck.cli.app import main

main()
