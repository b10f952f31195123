"""`python -m harness.cli` runs `braze-harness`."""

from harness.cli import main

main()
