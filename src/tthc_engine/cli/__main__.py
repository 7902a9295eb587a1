"""``python -m tthc_engine.cli`` runs the ``tthc`` command."""

from tthc_engine.cli import main

raise SystemExit(main())
