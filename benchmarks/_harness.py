"""Shared helpers for the benchmark scripts: timing, tables, JSON, machine info."""

import json
import os
import platform
import statistics
import time
from datetime import datetime, timezone
from pathlib import Path

# The data loaders live in _data.py; these names stay importable from here
# for the scripts that still import them from _harness.
from _data import DATASETS, load_pmlb  # noqa: F401


def median_time(func, repeats=3):
    """Median wall time of ``func()`` over ``repeats`` calls, and its last result."""
    times = []
    result = None
    for _ in range(repeats):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def interleaved_median_times(funcs, repeats=3):
    """Median wall time of each function in ``funcs``, calling them in turn
    (a, b, a, b, ...) so that load changes on a shared machine hit all alike.

    Returns a list of medians in the order of ``funcs``.
    """
    times = [[] for _ in funcs]
    for _ in range(repeats):
        for i, func in enumerate(funcs):
            start = time.perf_counter()
            func()
            times[i].append(time.perf_counter() - start)
    return [statistics.median(t) for t in times]


def markdown_table(rows):
    """A Markdown table of a list of dicts sharing the same keys."""
    from skdistill._utils import markdown_table as layout

    headers = list(rows[0])
    return layout(headers, [[_fmt(row.get(h)) for h in headers] for row in rows])


def _fmt(value):
    if isinstance(value, float):
        return f"{value:.4g}" if abs(value) < 1e4 else f"{value:.3e}"
    return "" if value is None else str(value)


def machine_info():
    """Versions and hardware facts recorded with every result."""
    import numpy
    import scipy
    import sklearn

    import skdistill

    return {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "numpy": numpy.__version__,
        "scipy": scipy.__version__,
        "scikit-learn": sklearn.__version__,
        "skdistill": skdistill.__version__,
    }


def write_json(path, name, rows, **extra):
    """Write ``rows`` with machine info to ``path`` (JSON)."""
    payload = {"benchmark": name, "machine": machine_info(), "rows": rows, **extra}
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(payload, indent=2, default=float))
