# Fused soft-target loss kernels: one pass over the rows computes the loss and
# its gradient with respect to the raw scores (logits).
#
# Arithmetic is done in double precision whatever the storage type (as
# scikit-learn's own ``_loss`` module does), so float32 inputs lose nothing but
# storage precision. Rows are independent: ``prange`` spreads them over OpenMP
# threads when the module is compiled with OpenMP; without it the same loops
# run serially. The schedule is "guided" rather than "static": rows cost the
# same, but on a shared machine a thread that loses its core would otherwise
# hold up the whole call with its fixed half of the rows.
#
# Every kernel returns the *weighted sum* of the per-row losses (divide by the
# sum of weights yourself, or pass pre-normalised weights, to get a mean) and
# writes ``sample_weight[i] * d loss_i / d raw[i]`` into ``out``. ``out`` may be
# ``raw`` itself: each row's scores are read before its gradient is written.
#
# No Hessian kernel: the L-BFGS solver of SoftLogisticRegression only needs the
# gradient.

from cython.parallel cimport prange
from libc.math cimport exp, fabs, log, log1p

import numpy as np

from ._openmp_info import openmp_max_threads

ctypedef fused floating_t:
    float
    double

# Below this many score entries a parallel region costs more than it saves.
MIN_PARALLEL_SIZE = 1 << 14


# --------------------------------------------------------------------------
# Per-row (per-element) kernels: pointers, no GIL, no bounds checks
# --------------------------------------------------------------------------
cdef inline double _multinomial_row(
    const floating_t* z, const floating_t* t, floating_t* g, double w, Py_ssize_t K
) noexcept nogil:
    """Soft-target cross-entropy of one row, gradient into ``g``.

    loss = sum_k t_k * (lse(z) - z_k) = sum_k t_k * (max - z_k) + T * log(sum_k exp(z_k - max))
    with T = sum_k t_k; both terms are non-negative, so there is no cancellation
    even for logits of +-1e4. grad_k = w * (T * softmax(z)_k - t_k).
    """
    cdef Py_ssize_t k
    cdef double m = z[0]
    cdef double sum_exp = 0.0, t_sum = 0.0, loss = 0.0, e, scale
    for k in range(1, K):
        if z[k] > m:
            m = z[k]
    for k in range(K):
        # Read z_k and use it before g_k (which may alias z_k) is written.
        loss += t[k] * (m - z[k])
        t_sum += t[k]
        e = exp(z[k] - m)
        sum_exp += e
        g[k] = <floating_t> e
    loss += t_sum * log(sum_exp)
    scale = w * t_sum / sum_exp
    for k in range(K):
        g[k] = <floating_t> (scale * g[k] - w * t[k])
    return w * loss


cdef inline double _binary_element(
    const floating_t* z, const floating_t* t, floating_t* g, double w
) noexcept nogil:
    """Sigmoid cross-entropy with a soft target t = P(class 1).

    loss = log(1 + exp(z)) - t * z = max(z, 0) - t * z + log1p(exp(-|z|)),
    grad = w * (sigmoid(z) - t) with sigmoid evaluated on the stable side.
    """
    cdef double zi = z[0], ti = t[0]
    cdef double e = exp(-fabs(zi))  # in (0, 1]: never overflows
    cdef double loss, p
    if zi > 0:
        loss = (1.0 - ti) * zi + log1p(e)
        p = 1.0 / (1.0 + e)
    else:
        loss = -ti * zi + log1p(e)
        p = e / (1.0 + e)
    g[0] = <floating_t> (w * (p - ti))
    return w * loss


cdef inline double _squared_row(
    const floating_t* z, const floating_t* t, floating_t* g, double w, Py_ssize_t K
) noexcept nogil:
    """Half squared error 0.5 * sum_k (z_k - t_k)^2, grad = w * (z - t)."""
    cdef Py_ssize_t k
    cdef double d, loss = 0.0
    for k in range(K):
        d = <double> z[k] - <double> t[k]
        loss += d * d
        g[k] = <floating_t> (w * d)
    return 0.5 * w * loss


# --------------------------------------------------------------------------
# Row loops (fused over float32 / float64)
# --------------------------------------------------------------------------
def _multinomial_kernel(
    const floating_t[:, ::1] raw,
    const floating_t[:, ::1] targets,
    const floating_t[::1] sample_weight,
    floating_t[:, ::1] out,
    bint has_weight,
    int n_threads,
):
    cdef Py_ssize_t i, n = raw.shape[0], K = raw.shape[1]
    cdef double total = 0.0, w = 1.0
    if n == 0 or K == 0:
        return 0.0
    with nogil:
        if n_threads == 1:
            for i in range(n):
                if has_weight:
                    w = sample_weight[i]
                total += _multinomial_row(&raw[i, 0], &targets[i, 0], &out[i, 0], w, K)
        else:
            for i in prange(n, num_threads=n_threads, schedule="guided"):
                w = sample_weight[i] if has_weight else 1.0
                total += _multinomial_row(&raw[i, 0], &targets[i, 0], &out[i, 0], w, K)
    return total


def _binary_kernel(
    const floating_t[::1] raw,
    const floating_t[::1] targets,
    const floating_t[::1] sample_weight,
    floating_t[::1] out,
    bint has_weight,
    int n_threads,
):
    cdef Py_ssize_t i, n = raw.shape[0]
    cdef double total = 0.0, w = 1.0
    if n == 0:
        return 0.0
    with nogil:
        if n_threads == 1:
            for i in range(n):
                if has_weight:
                    w = sample_weight[i]
                total += _binary_element(&raw[i], &targets[i], &out[i], w)
        else:
            for i in prange(n, num_threads=n_threads, schedule="guided"):
                w = sample_weight[i] if has_weight else 1.0
                total += _binary_element(&raw[i], &targets[i], &out[i], w)
    return total


def _squared_kernel(
    const floating_t[:, ::1] raw,
    const floating_t[:, ::1] targets,
    const floating_t[::1] sample_weight,
    floating_t[:, ::1] out,
    bint has_weight,
    int n_threads,
):
    cdef Py_ssize_t i, n = raw.shape[0], K = raw.shape[1]
    cdef double total = 0.0, w = 1.0
    if n == 0 or K == 0:
        return 0.0
    with nogil:
        if n_threads == 1:
            for i in range(n):
                if has_weight:
                    w = sample_weight[i]
                total += _squared_row(&raw[i, 0], &targets[i, 0], &out[i, 0], w, K)
        else:
            for i in prange(n, num_threads=n_threads, schedule="guided"):
                w = sample_weight[i] if has_weight else 1.0
                total += _squared_row(&raw[i, 0], &targets[i, 0], &out[i, 0], w, K)
    return total


# --------------------------------------------------------------------------
# Python-visible, validating wrappers
# --------------------------------------------------------------------------
def _check_float_array(array, name, ndim):
    if not isinstance(array, np.ndarray):
        raise TypeError(
            f"{name} must be a numpy.ndarray, got {type(array).__name__}"
        )
    if array.dtype not in (np.float32, np.float64):
        raise TypeError(
            f"{name} must have dtype float32 or float64, got {array.dtype}"
        )
    if array.ndim not in ndim:
        expected = " or ".join(f"{d}-D" for d in ndim)
        raise ValueError(
            f"{name} must be {expected}, got an array of shape {array.shape}"
        )
    if not array.flags.c_contiguous:
        raise ValueError(
            f"{name} must be C-contiguous; pass numpy.ascontiguousarray({name})"
        )


def _check_inputs(raw, targets, sample_weight, out, n_threads, ndim):
    """Validate the arrays of a kernel call; return (sample_weight, out, n_threads)."""
    _check_float_array(raw, "raw", ndim)
    _check_float_array(targets, "targets", ndim)
    if targets.dtype != raw.dtype:
        raise TypeError(
            f"targets must have the dtype of raw ({raw.dtype}), got {targets.dtype}"
        )
    if targets.shape != raw.shape:
        raise ValueError(
            f"targets must have the shape of raw {raw.shape}, got {targets.shape}"
        )
    n = raw.shape[0]
    if sample_weight is None:
        weight = np.empty(0, dtype=raw.dtype)
    else:
        weight = np.ascontiguousarray(sample_weight, dtype=raw.dtype)
        if weight.shape != (n,):
            raise ValueError(
                f"sample_weight must have shape ({n},), got {weight.shape}"
            )
    if out is None:
        out = np.empty_like(raw)
    else:
        _check_float_array(out, "out", ndim)
        if out.dtype != raw.dtype or out.shape != raw.shape:
            raise ValueError(
                f"out must have the shape {raw.shape} and dtype {raw.dtype} of raw, "
                f"got shape {out.shape} and dtype {out.dtype}"
            )
        if not out.flags.writeable:
            raise ValueError("out must be writeable")
        same_as_raw = (
            out.__array_interface__["data"][0] == raw.__array_interface__["data"][0]
        )
        if not same_as_raw and np.may_share_memory(out, raw):
            raise ValueError("out must be raw itself or not overlap raw")
        if np.may_share_memory(out, targets) or np.may_share_memory(out, weight):
            raise ValueError("out must not overlap targets or sample_weight")
    if n_threads is None:
        n_threads = openmp_max_threads()
    elif isinstance(n_threads, (bool, np.bool_)) or not isinstance(
        n_threads, (int, np.integer)
    ):
        raise TypeError(
            f"n_threads must be an int >= 1 or None, got {n_threads!r} of type "
            f"{type(n_threads).__name__}"
        )
    elif n_threads < 1:
        raise ValueError(f"n_threads must be an int >= 1 or None, got {n_threads!r}")
    if raw.size < MIN_PARALLEL_SIZE:
        n_threads = 1
    return weight, out, int(n_threads)


def multinomial_loss_gradient(raw, targets, sample_weight=None, *, out=None,
                              n_threads=None):
    """Soft-target multinomial cross-entropy and its gradient, in one pass.

    For row ``i`` with scores ``z = raw[i]``, targets ``t = targets[i]`` and
    weight ``w``::

        loss_i = w * sum_k t_k * (logsumexp(z) - z_k)
        grad_i = w * (sum_k t_k * softmax(z) - t)

    (with rows of ``t`` summing to 1 this is ``w * (softmax(z) - t)``).
    ``logsumexp`` is max-shifted, so scores of any finite size are safe.

    Parameters
    ----------
    raw : ndarray of shape (n_samples, n_classes), float32 or float64
        Raw scores (logits), C-contiguous.
    targets : ndarray of shape (n_samples, n_classes)
        Target probabilities, same dtype as ``raw``, C-contiguous.
    sample_weight : array-like of shape (n_samples,), default=None
        Row weights (converted to ``raw``'s dtype); None means 1.
    out : ndarray of shape (n_samples, n_classes), default=None
        Where to write the gradient; may be ``raw`` itself (in place).
    n_threads : int, default=None
        OpenMP threads; None uses OpenMP's maximum. Small inputs (fewer than
        ``MIN_PARALLEL_SIZE`` entries) always run on one thread.

    Returns
    -------
    loss : float
        The weighted *sum* of the row losses (not the mean), accumulated in
        double precision.
    gradient : ndarray of shape (n_samples, n_classes)
        ``out`` (allocated when None was given).
    """
    weight, out, n_threads = _check_inputs(
        raw, targets, sample_weight, out, n_threads, (2,)
    )
    loss = _multinomial_kernel(
        raw, targets, weight, out, sample_weight is not None, n_threads
    )
    return float(loss), out


def binary_loss_gradient(raw, targets, sample_weight=None, *, out=None,
                         n_threads=None):
    """Sigmoid cross-entropy with soft targets and its gradient, in one pass.

    For a score ``z``, target probability of the positive class ``t`` in
    [0, 1] and weight ``w``::

        loss = w * (log(1 + exp(z)) - t * z)     (stable log1p(exp) form)
        grad = w * (sigmoid(z) - t)

    Parameters
    ----------
    raw : ndarray of shape (n_samples,), float32 or float64
        Raw scores (logit of the positive class), C-contiguous.
    targets : ndarray of shape (n_samples,)
        Probability of the positive class, same dtype as ``raw``.
    sample_weight : array-like of shape (n_samples,), default=None
        Weights (converted to ``raw``'s dtype); None means 1.
    out : ndarray of shape (n_samples,), default=None
        Where to write the gradient; may be ``raw`` itself.
    n_threads : int, default=None
        OpenMP threads; None uses OpenMP's maximum.

    Returns
    -------
    loss : float
        Weighted sum of the losses.
    gradient : ndarray of shape (n_samples,)
    """
    weight, out, n_threads = _check_inputs(
        raw, targets, sample_weight, out, n_threads, (1,)
    )
    loss = _binary_kernel(raw, targets, weight, out, sample_weight is not None,
                          n_threads)
    return float(loss), out


def squared_error_loss_gradient(raw, targets, sample_weight=None, *, out=None,
                                n_threads=None):
    """Half squared error between scores and targets, and its gradient.

    For logit matching or regression: per row, ``loss = 0.5 * w * ||z - t||^2``
    and ``grad = w * (z - t)``.

    Parameters
    ----------
    raw : ndarray of shape (n_samples,) or (n_samples, n_outputs)
        Predictions, float32 or float64, C-contiguous.
    targets : ndarray of the shape and dtype of ``raw``
        Values to match.
    sample_weight : array-like of shape (n_samples,), default=None
        Row weights (converted to ``raw``'s dtype); None means 1.
    out : ndarray like ``raw``, default=None
        Where to write the gradient; may be ``raw`` itself.
    n_threads : int, default=None
        OpenMP threads; None uses OpenMP's maximum.

    Returns
    -------
    loss : float
        Weighted sum of the row losses.
    gradient : ndarray like ``raw``
    """
    weight, out, n_threads = _check_inputs(
        raw, targets, sample_weight, out, n_threads, (1, 2)
    )
    if raw.ndim == 1:
        # Views, not copies: a 1-D C-contiguous array is an (n, 1) one.
        loss = _squared_kernel(raw.reshape(-1, 1), targets.reshape(-1, 1), weight,
                               out.reshape(-1, 1), sample_weight is not None,
                               n_threads)
    else:
        loss = _squared_kernel(raw, targets, weight, out, sample_weight is not None,
                               n_threads)
    return float(loss), out
