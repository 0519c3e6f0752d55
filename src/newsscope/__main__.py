"""``python -m newsscope`` runs the command line."""

from newsscope.cli import main

raise SystemExit(main())
