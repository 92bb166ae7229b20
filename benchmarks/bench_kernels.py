"""Soft-target kernels and SoftLogisticRegression against their references.

Rows (each a function registered with ``@benchmark``; add a row by writing
one more such function returning a dict with the same keys):

- ``logistic_hard``: ``SoftLogisticRegression.fit`` vs
  ``LogisticRegression(solver="lbfgs").fit`` on hard labels, n=1e6, d=20, K=3.
  Goal: time ratio (ours / reference) <= 1.0.
- ``logistic_soft_vs_replication``: ``SoftLogisticRegression.fit`` on a
  probability matrix vs ``LogisticRegression`` on the n*K replicated rows
  weighted by the probabilities (the same objective), n=2e5, d=50, K=5.
  Goal: >= 3x faster, max |delta p| <= 1e-3. Building the replicated data is
  *not* timed (that favours the reference).
- ``kernel_multinomial_*``: fused loss+gradient kernel vs a NumPy reference,
  n=1e6, K=5. Goal: >= 3x.

Timings are medians of ``--repeats`` (>= 3) runs, ours and the reference
called in turn, so ratios come from the same run.

    python benchmarks/bench_kernels.py [--quick] [--repeats 3] [--json PATH]
"""

import argparse
import os
import sys
import warnings
from pathlib import Path

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression

sys.path.insert(0, str(Path(__file__).parent))
from _harness import interleaved_median_times, markdown_table, write_json  # noqa: E402

from skdistill._loss import (  # noqa: E402
    multinomial_loss_gradient,
    openmp_enabled,
    openmp_max_threads,
)
from skdistill.students import SoftLogisticRegression  # noqa: E402

BENCHMARKS = []


def benchmark(func):
    """Register a row: ``func(quick, repeats) -> dict`` (see ``_row``)."""
    BENCHMARKS.append(func)
    return func


def _row(name, size, ours_s, reference_s, *, goal, met, notes=""):
    """One table row; ``speedup`` is reference time / our time."""
    return {
        "benchmark": name,
        "size": size,
        "skdistill_s": ours_s,
        "reference_s": reference_s,
        "speedup": reference_s / ours_s,
        "goal": goal,
        "met": "yes" if met else "NO",
        "notes": notes,
    }


# --------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------
def _features(n, d, seed):
    return np.random.default_rng(seed).normal(size=(n, d))


def _softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    np.exp(z, out=z)
    z /= z.sum(axis=1, keepdims=True)
    return z


def _hard_labels(X, k, seed):
    """Labels of a noisy linear teacher (a learnable, not separable, problem)."""
    rng = np.random.default_rng(seed)
    proba = _softmax(X @ rng.normal(size=(X.shape[1], k)) * 0.5)
    cumulative = proba.cumsum(axis=1)
    return (rng.random((len(X), 1)) > cumulative).sum(axis=1)


def _soft_targets(X, k, seed):
    """Probabilities of a non-linear teacher: softmax of a tanh layer."""
    rng = np.random.default_rng(seed)
    hidden = np.tanh(X @ rng.normal(size=(X.shape[1], 16)) / np.sqrt(X.shape[1]))
    return _softmax(hidden @ rng.normal(size=(16, k)) * 1.5)


def reference_multinomial(raw, targets, weight):
    """NumPy soft-target cross-entropy + gradient (the kernel's reference)."""
    m = raw.max(axis=1, keepdims=True)
    shifted = raw - m
    log_norm = np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    log_p = shifted - log_norm
    loss = -float(np.sum(weight * np.sum(targets * log_p, axis=1)))
    grad = weight[:, None] * (np.exp(log_p) * targets.sum(axis=1, keepdims=True) - targets)
    return loss, grad


# --------------------------------------------------------------------------
# Rows
# --------------------------------------------------------------------------
@benchmark
def logistic_hard(quick, repeats):
    n, d, k = (100_000 if quick else 1_000_000), 20, 3
    X = _features(n, d, seed=0)
    y = _hard_labels(X, k, seed=1)
    fits = {}

    def ours():
        fits["ours"] = SoftLogisticRegression().fit(X, y)

    def reference():
        fits["ref"] = LogisticRegression(solver="lbfgs").fit(X, y)

    t_ours, t_ref = interleaved_median_times([ours, reference], repeats)
    sample = X[:20_000]
    delta = np.abs(fits["ours"].predict_proba(sample) - fits["ref"].predict_proba(sample)).max()
    return _row(
        "logistic_hard (vs LogisticRegression lbfgs)",
        f"n={n} d={d} K={k}",
        t_ours,
        t_ref,
        goal="time ratio <= 1.0",
        met=t_ours <= t_ref,
        notes=f"max|dp|={delta:.1e}, n_iter {fits['ours'].n_iter_[0]}/{fits['ref'].n_iter_[0]}",
    )


@benchmark
def logistic_soft_vs_replication(quick, repeats):
    n, d, k = (20_000 if quick else 200_000), 50, 5
    X = _features(n, d, seed=2)
    targets = _soft_targets(X, k, seed=3)
    X_rep = np.repeat(X, k, axis=0)
    y_rep = np.tile(np.arange(k), n)
    w_rep = targets.ravel()
    fits = {}

    def ours():
        fits["ours"] = SoftLogisticRegression().fit(X, targets)

    def reference():
        fits["ref"] = LogisticRegression(solver="lbfgs").fit(X_rep, y_rep, sample_weight=w_rep)

    t_ours, t_ref = interleaved_median_times([ours, reference], repeats)
    delta = np.abs(fits["ours"].predict_proba(X) - fits["ref"].predict_proba(X)).max()
    return _row(
        "logistic_soft (vs replication trick)",
        f"n={n} d={d} K={k}",
        t_ours,
        t_ref,
        goal=">= 3x, max|dp| <= 1e-3",
        met=t_ref / t_ours >= 3 and delta <= 1e-3,
        notes=f"max|dp|={delta:.1e}, replicated rows={len(y_rep)}, n_iter "
        f"{fits['ours'].n_iter_[0]}/{fits['ref'].n_iter_[0]}",
    )


def _kernel_row(quick, repeats, dtype):
    n, k = (100_000 if quick else 1_000_000), 5
    rng = np.random.default_rng(4)
    raw = (rng.normal(size=(n, k)) * 4).astype(dtype)
    targets = rng.dirichlet(np.ones(k), size=n).astype(dtype)
    weight = rng.random(n).astype(dtype)
    out = np.empty_like(raw)

    def ours():
        multinomial_loss_gradient(raw, targets, weight, out=out)

    def reference():
        reference_multinomial(raw, targets, weight)

    t_ours, t_ref = interleaved_median_times([ours, reference], repeats)
    loss, grad = multinomial_loss_gradient(raw, targets, weight)
    ref_loss, ref_grad = reference_multinomial(
        raw.astype(np.float64), targets.astype(np.float64), weight.astype(np.float64)
    )
    return _row(
        f"kernel_multinomial_{np.dtype(dtype).name} (vs NumPy)",
        f"n={n} K={k}",
        t_ours,
        t_ref,
        goal=">= 3x",
        met=t_ref / t_ours >= 3,
        notes=f"{n * k / t_ours / 1e6:.0f} M entries/s, "
        f"{openmp_max_threads()} threads; rel dloss="
        f"{abs(loss - ref_loss) / ref_loss:.1e}, "
        f"max dgrad={np.abs(grad - ref_grad).max():.1e}",
    )


@benchmark
def kernel_multinomial_float64(quick, repeats):
    return _kernel_row(quick, repeats, np.float64)


@benchmark
def kernel_multinomial_float32(quick, repeats):
    return _kernel_row(quick, repeats, np.float32)


# --------------------------------------------------------------------------
def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (smoke run)")
    parser.add_argument("--repeats", type=int, default=3, help="timing repeats (>= 3)")
    parser.add_argument("--json", metavar="PATH", help="write the results as JSON")
    parser.add_argument(
        "--only", metavar="NAME", help="run the rows whose function name contains NAME"
    )
    args = parser.parse_args(argv)
    if args.repeats < 3:
        parser.error(f"--repeats must be >= 3, got {args.repeats}")

    rows = []
    with warnings.catch_warnings():
        # A reference that stops at max_iter is still timed as it is used.
        warnings.simplefilter("ignore", ConvergenceWarning)
        for func in BENCHMARKS:
            if args.only and args.only not in func.__name__:
                continue
            rows.append(func(args.quick, args.repeats))
            print(f"done: {rows[-1]['benchmark']}", file=sys.stderr, flush=True)

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"OpenMP: {openmp_enabled()} ({openmp_max_threads()} threads), "
        f"cpus: {os.cpu_count()}, load average at end: {load:.2f}, "
        f"repeats: {args.repeats}\n"
    )
    print(markdown_table(rows))
    if args.json:
        write_json(
            args.json,
            "bench_kernels",
            rows,
            quick=args.quick,
            repeats=args.repeats,
            openmp=openmp_enabled(),
            openmp_threads=openmp_max_threads(),
        )
    return rows


if __name__ == "__main__":
    main()
