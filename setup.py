"""Build the Cython loss kernels, with OpenMP when the compiler supports it.

Every ``*.pyx`` file under ``skdistill/`` becomes an extension module, so a new
kernel needs no change here.
"""

import os
import sys
import tempfile
from pathlib import Path

from Cython.Build import cythonize
from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

OPENMP_TEST = r"""
#include <omp.h>
int main(void) { int n = 0;
#pragma omp parallel reduction(+:n)
n += 1;
return n > 0 ? 0 : 1; }
"""


def _compiler_supports_openmp(compiler):
    """Try to compile and link a tiny OpenMP program with ``-fopenmp``."""
    if os.environ.get("SKDISTILL_NO_OPENMP"):
        return False
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "omp_test.c"
        src.write_text(OPENMP_TEST)
        try:
            objects = compiler.compile([str(src)], output_dir=tmp, extra_postargs=["-fopenmp"])
            compiler.link_executable(
                objects, "omp_test", output_dir=tmp, extra_postargs=["-fopenmp"]
            )
        except Exception:  # any compiler/linker failure means "no OpenMP"
            return False
    return True


class BuildExtWithOptionalOpenMP(build_ext):
    def build_extensions(self):
        use_openmp = sys.platform != "win32" and _compiler_supports_openmp(self.compiler)
        if not use_openmp:
            print("skdistill: building kernels WITHOUT OpenMP (serial loops)")
        for ext in self.extensions:
            ext.extra_compile_args = ["-O3"] + (["-fopenmp"] if use_openmp else [])
            ext.extra_link_args = ["-fopenmp"] if use_openmp else []
        super().build_extensions()


def _extensions():
    root = Path(__file__).parent
    pyx_files = sorted(root.glob("skdistill/**/*.pyx"))
    return [
        Extension(
            ".".join(p.relative_to(root).with_suffix("").parts),
            [str(p.relative_to(root))],
            define_macros=[("NPY_NO_DEPRECATED_API", "NPY_1_7_API_VERSION")],
        )
        for p in pyx_files
    ]


setup(
    ext_modules=cythonize(
        _extensions(),
        compiler_directives={
            "language_level": "3",
            "boundscheck": False,
            "wraparound": False,
            "cdivision": True,
            "initializedcheck": False,
        },
    ),
    cmdclass={"build_ext": BuildExtWithOptionalOpenMP},
)
