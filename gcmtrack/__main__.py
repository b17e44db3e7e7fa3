"""Allow ``python -m gcmtrack``."""
from gcmtrack.cli import main

main()
