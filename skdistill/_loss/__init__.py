"""Compiled soft-target loss kernels (Cython).

There is no pure-Python fallback: a kernel that is missing, or (in a source
checkout) older than its ``.pyx``, raises an ImportError naming the command
that builds it, rather than running slow or outdated code.
"""

from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

BUILD_COMMAND = (
    'pip install "Cython>=3.0.10" "setuptools>=77" '
    '&& pip install --no-build-isolation -e ".[test]"'
)


def _check_kernels_are_current():
    """Raise ImportError when a kernel of a source checkout is older than its ``.pyx``.

    Only in a source checkout (``setup.py`` beside the package): an installed
    wheel's file times say nothing about which source its modules came from.
    """
    here = Path(__file__).resolve().parent
    if not (here.parents[1] / "setup.py").is_file():
        return
    for pyx in sorted(here.glob("*.pyx")):
        # The first suffix found is the file the import system loads.
        built = [here / (pyx.stem + suffix) for suffix in EXTENSION_SUFFIXES]
        built = [path for path in built if path.is_file()]
        if built and pyx.stat().st_mtime > built[0].stat().st_mtime:
            raise ImportError(
                f"skdistill's compiled kernel {built[0].name} is older than "
                f"{pyx.name}: rebuild the kernels in place with\n    {BUILD_COMMAND}\n"
                "from the project root."
            )


_check_kernels_are_current()

try:
    from ._openmp_info import openmp_enabled, openmp_max_threads
    from ._soft_loss import (
        binary_loss_gradient,
        multinomial_loss_gradient,
        squared_error_loss_gradient,
    )
except ImportError as exc:
    raise ImportError(
        f"skdistill's compiled loss kernels cannot be imported ({exc}). In a source "
        f"checkout, build them in place with\n    {BUILD_COMMAND}\nfrom the project root; "
        'otherwise reinstall skdistill (pip install ".[test]" builds them).'
    ) from exc

__all__ = [
    "binary_loss_gradient",
    "multinomial_loss_gradient",
    "openmp_enabled",
    "openmp_max_threads",
    "squared_error_loss_gradient",
]
