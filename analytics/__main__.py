"""``python -m analytics``: the ``precheck stats`` command on its own."""

import sys

from analytics.cli import cli_main

sys.exit(cli_main())
