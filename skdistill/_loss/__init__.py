"""Compiled soft-target loss kernels (Cython)."""

from ._openmp_info import openmp_enabled, openmp_max_threads

__all__ = ["openmp_enabled", "openmp_max_threads"]
