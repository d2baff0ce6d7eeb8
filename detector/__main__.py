"""`python -m detector` is the `detector` command."""

from detector.cli import main

main()
