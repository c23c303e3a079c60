"""`python -m orgplan`: the same as the `orgplan` command."""

from orgplan.cli import main

main()
