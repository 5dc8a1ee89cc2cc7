"""``python -m incident <command>``: see :mod:`incident.cli`."""

from incident.cli import main

raise SystemExit(main())
