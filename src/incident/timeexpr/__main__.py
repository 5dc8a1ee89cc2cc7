"""``python -m incident.timeexpr``: see :func:`incident.timeexpr.cli.main`."""

import sys

from incident.timeexpr.cli import main

sys.exit(main())
