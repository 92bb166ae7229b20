"""``python -m skdistill``: the same as the ``skdistill`` command."""

import sys

from .cli import main

sys.exit(main())
