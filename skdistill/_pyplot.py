"""matplotlib's pyplot, imported only when a plot is drawn (matplotlib is an
optional extra), with the install command when it is missing."""

from typing import Any


def pyplot() -> Any:
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ImportError(
            "plotting needs matplotlib; install it with: pip install skdistill[plot]"
        ) from exc
    return plt
