"""Compiled soft-target loss kernels (Cython)."""

from ._openmp_info import openmp_enabled, openmp_max_threads
from ._soft_loss import (
    binary_loss_gradient,
    multinomial_loss_gradient,
    squared_error_loss_gradient,
)

__all__ = [
    "binary_loss_gradient",
    "multinomial_loss_gradient",
    "openmp_enabled",
    "openmp_max_threads",
    "squared_error_loss_gradient",
]
