"""``python -m paperwork`` runs the command line."""

from .cli import main

main()
