"""Type stub for the compiled soft-target loss kernels (see _soft_loss.pyx).

Every kernel returns ``(loss, gradient)``: the weighted *sum* of the row
losses (a Python float, accumulated in double precision) and the gradient
with respect to ``raw`` written into ``out`` (allocated when None; may be
``raw`` itself). ``raw``, ``targets`` and ``out`` must be C-contiguous
float32 or float64 arrays of one dtype; ``sample_weight`` is converted to it.
"""

import numpy as np
from numpy.typing import ArrayLike, NDArray

MIN_PARALLEL_SIZE: int

_Float = np.float32 | np.float64

def multinomial_loss_gradient(
    raw: NDArray[_Float],
    targets: NDArray[_Float],
    sample_weight: ArrayLike | None = ...,
    *,
    out: NDArray[_Float] | None = ...,
    n_threads: int | None = ...,
) -> tuple[float, NDArray[_Float]]:
    """Soft-target softmax cross-entropy; raw and targets of shape (n, K)."""

def binary_loss_gradient(
    raw: NDArray[_Float],
    targets: NDArray[_Float],
    sample_weight: ArrayLike | None = ...,
    *,
    out: NDArray[_Float] | None = ...,
    n_threads: int | None = ...,
) -> tuple[float, NDArray[_Float]]:
    """Soft-target sigmoid cross-entropy; raw and targets P(class 1) of shape (n,)."""

def squared_error_loss_gradient(
    raw: NDArray[_Float],
    targets: NDArray[_Float],
    sample_weight: ArrayLike | None = ...,
    *,
    out: NDArray[_Float] | None = ...,
    n_threads: int | None = ...,
) -> tuple[float, NDArray[_Float]]:
    """Half squared error 0.5 * w * ||raw - targets||^2; shape (n,) or (n, K)."""
