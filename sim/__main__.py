"""``python -m sim`` runs the ``coercion`` command line."""

from sim.cli import main

main()
