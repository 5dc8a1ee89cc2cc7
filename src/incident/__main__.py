"""``python -m incident <command>``: see :mod:`incident.cli`.

The process ends with :func:`os._exit` once its output is flushed: tearing down the imported
modules (Altair's thousands of schema classes, jsonschema's IRI grammar) took 2–3 s at every
exit of a report's step and did nothing a command needs (every file is written and closed, and
a kernel a command started is shut down, before :func:`incident.cli.main` returns).
"""

import os
import sys

from incident.cli import main

try:
    code = main()
except SystemExit as exc:  # argparse's --help and usage errors
    code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    if exc.code is not None and not isinstance(exc.code, int):
        print(exc.code, file=sys.stderr)
sys.stdout.flush()
sys.stderr.flush()
os._exit(code or 0)
