"""``python -m benchmarks``: run the suite (see ``benchmarks/run.py``)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from run import main  # noqa: E402

main()
