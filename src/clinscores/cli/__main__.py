"""``python -m clinscores.cli``: the ``clinscores`` command."""

from clinscores.cli import main

raise SystemExit(main())
