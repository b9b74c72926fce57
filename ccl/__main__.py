"""``python -m ccl``: the command line."""

import sys

from ccl.cli import main

sys.exit(main())
