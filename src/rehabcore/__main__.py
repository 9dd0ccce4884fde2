"""``python -m rehabcore``: the command line, as the ``rehabcore`` script runs it."""

from rehabcore.cli import main

raise SystemExit(main())
