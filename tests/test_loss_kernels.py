"""The Cython soft-target loss kernels against plain NumPy references."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.testing import assert_allclose
from scipy.special import expit

from skdistill._loss import openmp_enabled
from skdistill._loss._soft_loss import (
    MIN_PARALLEL_SIZE,
    binary_loss_gradient,
    multinomial_loss_gradient,
    squared_error_loss_gradient,
)

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --------------------------------------------------------------------------
# NumPy references (float64 arithmetic, max-shifted log-sum-exp)
# --------------------------------------------------------------------------
def ref_multinomial(raw, targets, weight):
    z = raw.astype(np.float64)
    t = targets.astype(np.float64)
    w = np.ones(len(z)) if weight is None else np.asarray(weight, dtype=np.float64)
    m = z.max(axis=1, keepdims=True)
    lse = m + np.log(np.exp(z - m).sum(axis=1, keepdims=True))
    # t_k * (lse - z_k) with 0 * anything = 0 (t may be exactly zero).
    terms = np.where(t > 0, t * (lse - z), 0.0)
    loss = float(np.sum(w * terms.sum(axis=1)))
    grad = w[:, None] * (t.sum(axis=1, keepdims=True) * np.exp(z - lse) - t)
    return loss, grad


def ref_binary(raw, targets, weight):
    z = raw.astype(np.float64)
    t = targets.astype(np.float64)
    w = np.ones(len(z)) if weight is None else np.asarray(weight, dtype=np.float64)
    loss = np.logaddexp(0.0, z) - t * z
    return float(np.sum(w * loss)), w * (expit(z) - t)


def ref_squared(raw, targets, weight):
    z = raw.astype(np.float64)
    t = targets.astype(np.float64)
    w = np.ones(len(z)) if weight is None else np.asarray(weight, dtype=np.float64)
    diff = (z - t).reshape(len(z), -1)
    loss = 0.5 * float(np.sum(w * np.sum(diff**2, axis=1)))
    return loss, (w[:, None] * diff).reshape(z.shape)


# --------------------------------------------------------------------------
# Strategies
# --------------------------------------------------------------------------
EXTREME = st.sampled_from([-1e4, 1e4, 0.0, -30.0, 30.0])
MODERATE = st.floats(-50, 50, allow_nan=False, width=32)
LOGIT = st.one_of(MODERATE, EXTREME)


@st.composite
def problems(draw, *, binary=False, logit=LOGIT):
    """(raw, targets, weight) with exact 0/1 targets, extreme logits, zero weights."""
    dtype = draw(st.sampled_from([np.float32, np.float64]))
    n = draw(st.integers(1, 40))
    k = 1 if binary else draw(st.integers(2, 7))
    shape = (n,) if binary else (n, k)
    raw = draw(arrays(np.float64, shape, elements=logit)).astype(dtype)
    kind = draw(st.sampled_from(["dirichlet", "onehot", "sparse"]))
    rng = np.random.default_rng(draw(st.integers(0, 2**31)))
    if binary:
        t = rng.random(n)
        if kind != "dirichlet":
            t = np.round(t)  # exact zeros and ones
        targets = t.astype(dtype)
    else:
        t = rng.dirichlet(np.ones(k), size=n)
        if kind == "onehot":
            t = np.eye(k)[rng.integers(0, k, n)]
        elif kind == "sparse":
            t[rng.random((n, k)) < 0.5] = 0.0
            t[np.arange(n), rng.integers(0, k, n)] += 0.1
            t /= t.sum(axis=1, keepdims=True)
        targets = t.astype(dtype)
    weight = None
    if draw(st.booleans()):
        weight = rng.random(n) * 5
        weight[rng.random(n) < 0.2] = 0.0
    return raw, targets, weight


def tolerances(dtype):
    """Loss is summed in double from the stored values in both; the gradient
    is stored in the input dtype by the kernel."""
    return (1e-12, 1e-5) if dtype == np.float32 else (1e-12, 1e-12)


def check_against(kernel, reference, raw, targets, weight):
    loss, grad = kernel(raw, targets, weight)
    # The kernel documents that it converts sample_weight to raw's dtype.
    stored_weight = None if weight is None else weight.astype(raw.dtype)
    ref_loss, ref_grad = reference(raw, targets, stored_weight)
    loss_rtol, grad_rtol = tolerances(raw.dtype)
    w_max = 1.0 if weight is None else max(float(np.max(weight)), 1e-300)
    assert grad.dtype == raw.dtype and grad.shape == raw.shape
    assert np.isfinite(loss) and np.all(np.isfinite(grad))
    assert loss >= 0.0
    assert_allclose(loss, ref_loss, rtol=loss_rtol, atol=1e-10)
    assert_allclose(grad, ref_grad, rtol=grad_rtol, atol=grad_rtol * w_max)


# --------------------------------------------------------------------------
# Kernel == reference
# --------------------------------------------------------------------------
@SETTINGS
@given(problems())
def test_multinomial_matches_reference(problem):
    check_against(multinomial_loss_gradient, ref_multinomial, *problem)


@SETTINGS
@given(problems(binary=True))
def test_binary_matches_reference(problem):
    check_against(binary_loss_gradient, ref_binary, *problem)


@SETTINGS
@given(problems(), st.booleans())
def test_squared_error_matches_reference(problem, one_d):
    raw, targets, weight = problem
    if one_d:
        raw, targets = np.ascontiguousarray(raw[:, 0]), np.ascontiguousarray(targets[:, 0])
    check_against(squared_error_loss_gradient, ref_squared, raw, targets, weight)


@SETTINGS
@given(problems(binary=True))
def test_binary_is_two_class_multinomial(problem):
    """Sigmoid CE on z equals softmax CE on scores (0, z), targets (1-t, t)."""
    raw, t, weight = problem
    raw64, t64 = raw.astype(np.float64), t.astype(np.float64)
    loss, grad = binary_loss_gradient(raw64, t64, weight)
    scores = np.ascontiguousarray(np.column_stack([np.zeros_like(raw64), raw64]))
    targets = np.ascontiguousarray(np.column_stack([1.0 - t64, t64]))
    loss2, grad2 = multinomial_loss_gradient(scores, targets, weight)
    assert_allclose(loss, loss2, rtol=1e-12, atol=1e-10)
    assert_allclose(grad, grad2[:, 1], rtol=1e-10, atol=1e-12)


# --------------------------------------------------------------------------
# Gradient == finite differences of the kernel's own loss
# --------------------------------------------------------------------------
def numerical_gradient(kernel, raw, targets, weight, h=1e-6):
    """Central differences, one row at a time: the loss is a sum over rows, and
    differencing a single row's loss keeps the rounding error small."""
    grad = np.zeros_like(raw)
    for i in range(len(raw)):
        w_i = None if weight is None else weight[i : i + 1]
        row = raw[i : i + 1].copy()
        flat = row.reshape(-1)
        for j in range(flat.size):
            original = flat[j]
            flat[j] = original + h
            f_plus, _ = kernel(row, targets[i : i + 1], w_i)
            flat[j] = original - h
            f_minus, _ = kernel(row, targets[i : i + 1], w_i)
            flat[j] = original
            grad[i : i + 1].reshape(-1)[j] = (f_plus - f_minus) / (2 * h)
    return grad


@pytest.mark.parametrize(
    "kernel, binary",
    [
        (multinomial_loss_gradient, False),
        (binary_loss_gradient, True),
        (squared_error_loss_gradient, False),
    ],
)
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_gradient_matches_finite_differences(kernel, binary, data):
    raw, targets, weight = data.draw(
        problems(binary=binary, logit=st.floats(-20, 20, allow_nan=False))
    )
    raw, targets = raw.astype(np.float64), targets.astype(np.float64)
    _, grad = kernel(raw, targets, weight)
    numeric = numerical_gradient(kernel, raw, targets, weight)
    assert_allclose(grad, numeric, rtol=1e-5, atol=1e-6)


# --------------------------------------------------------------------------
# Extremes, threads, in-place
# --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "dtype, big", [(np.float32, 1e4), (np.float32, 3e38), (np.float64, 1e4), (np.float64, 1e300)]
)
def test_no_overflow_at_extreme_logits(dtype, big):
    raw = np.array([[big, -big, 0.0], [-big, -big, -big], [big, big, -big]], dtype=dtype)
    targets = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.5, 0.5, 0.0]], dtype=dtype)
    loss, grad = multinomial_loss_gradient(raw, targets)
    # Row 0 certain and right, row 1 uniform (log 3), row 2 split evenly (log 2).
    assert_allclose(loss, np.log(3) + np.log(2), rtol=1e-6)
    assert np.all(np.isfinite(grad))
    assert_allclose(grad[0], [0, 0, 0], atol=1e-7)
    assert_allclose(grad[2], [0, 0, 0], atol=1e-7)

    z = np.array([big, -big, big, -big], dtype=dtype)
    t = np.array([1.0, 0.0, 0.0, 1.0], dtype=dtype)
    loss, grad = binary_loss_gradient(z, t)
    # Two confident right answers (loss 0), two wrong ones (loss |z| each).
    assert_allclose(loss, 2 * float(dtype(big)), rtol=1e-6)
    assert_allclose(grad, [0.0, 0.0, 1.0, -1.0])


def test_threads_do_not_change_results():
    rng = np.random.default_rng(0)
    n, k = 4 * MIN_PARALLEL_SIZE, 3
    raw = rng.normal(scale=5, size=(n, k))
    targets = rng.dirichlet(np.ones(k), size=n)
    weight = rng.random(n)
    loss1, grad1 = multinomial_loss_gradient(raw, targets, weight, n_threads=1)
    loss2, grad2 = multinomial_loss_gradient(raw, targets, weight, n_threads=2)
    np.testing.assert_array_equal(grad1, grad2)  # rows are independent
    assert_allclose(loss1, loss2, rtol=1e-12)  # only the summation order differs
    assert isinstance(openmp_enabled(), bool)


@pytest.mark.parametrize(
    "kernel, shape",
    [
        (multinomial_loss_gradient, (50, 4)),
        (binary_loss_gradient, (50,)),
        (squared_error_loss_gradient, (50, 2)),
    ],
)
def test_out_may_be_raw(kernel, shape):
    rng = np.random.default_rng(1)
    raw = rng.normal(size=shape) * 10
    targets = rng.random(shape)
    if len(shape) == 2:
        targets /= targets.sum(axis=1, keepdims=True)
    pristine = raw.copy()
    expected_loss, expected_grad = kernel(raw, targets)
    np.testing.assert_array_equal(raw, pristine)  # without out, raw is left alone
    loss, grad = kernel(raw, targets, out=raw)
    assert grad is raw
    assert loss == expected_loss
    np.testing.assert_array_equal(grad, expected_grad)


def test_inputs_are_not_modified():
    rng = np.random.default_rng(2)
    raw, targets, weight = rng.normal(size=(20, 3)), rng.dirichlet([1, 1, 1], 20), rng.random(20)
    copies = raw.copy(), targets.copy(), weight.copy()
    multinomial_loss_gradient(raw, targets, weight)
    for before, after in zip(copies, (raw, targets, weight)):
        np.testing.assert_array_equal(before, after)


def test_empty_input():
    loss, grad = multinomial_loss_gradient(np.empty((0, 3)), np.empty((0, 3)))
    assert loss == 0.0 and grad.shape == (0, 3)


# --------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------
def _good(shape=(4, 3), dtype=np.float64):
    return np.zeros(shape, dtype=dtype), np.full(shape, 1.0 / shape[-1], dtype=dtype)


@pytest.mark.parametrize(
    "make_args, error, match",
    [
        (lambda: ([[0.0, 1.0]], [[0.5, 0.5]]), TypeError, "raw must be a numpy.ndarray"),
        (
            lambda: (np.zeros((2, 2), dtype=int), np.zeros((2, 2))),
            TypeError,
            "raw must have dtype float32 or float64, got int",
        ),
        (
            lambda: (np.zeros((2, 2)), np.zeros((2, 2), dtype=np.float32)),
            TypeError,
            "targets must have the dtype of raw",
        ),
        (
            lambda: (np.zeros((2, 3)), np.zeros((2, 2))),
            ValueError,
            r"targets must have the shape of raw \(2, 3\), got \(2, 2\)",
        ),
        (lambda: (np.zeros(3), np.zeros(3)), ValueError, "raw must be 2-D"),
        (
            lambda: (np.zeros((3, 4))[:, ::2], np.zeros((3, 2))),
            ValueError,
            "raw must be C-contiguous",
        ),
    ],
)
def test_bad_arrays(make_args, error, match):
    with pytest.raises(error, match=match):
        multinomial_loss_gradient(*make_args())


def test_bad_sample_weight_out_and_threads():
    raw, targets = _good()
    with pytest.raises(ValueError, match=r"sample_weight must have shape \(4,\), got \(3,\)"):
        multinomial_loss_gradient(raw, targets, np.ones(3))
    with pytest.raises(ValueError, match="out must have the shape"):
        multinomial_loss_gradient(raw, targets, out=np.zeros((4, 3), dtype=np.float32))
    with pytest.raises(ValueError, match="out must not overlap targets"):
        multinomial_loss_gradient(raw, targets, out=targets)
    with pytest.raises(ValueError, match="out must be raw itself or not overlap raw"):
        big = np.zeros((5, 3))
        multinomial_loss_gradient(big[1:], targets, out=big[:4])
    read_only = np.zeros((4, 3))
    read_only.flags.writeable = False
    with pytest.raises(ValueError, match="out must be writeable"):
        multinomial_loss_gradient(raw, targets, out=read_only)
    with pytest.raises(ValueError, match="n_threads must be an int >= 1 or None, got 0"):
        multinomial_loss_gradient(raw, targets, n_threads=0)
    with pytest.raises(TypeError, match="n_threads must be an int"):
        multinomial_loss_gradient(raw, targets, n_threads=2.0)
    with pytest.raises(ValueError, match="raw must be 1-D"):
        binary_loss_gradient(raw, targets)
    with pytest.raises(ValueError, match="raw must be 1-D or 2-D"):
        squared_error_loss_gradient(np.zeros((2, 2, 2)), np.zeros((2, 2, 2)))
