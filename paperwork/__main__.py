"""``python -m paperwork`` runs the command line."""

from paperwork.cli.main import main

main()
