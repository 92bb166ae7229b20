"""Chunked, parallel teacher labelling: the hot path of transfer sets.

Labelling a large transfer set calls the teacher on many rows. Rows are
cut into batches of ``batch_size`` so that the teacher's temporaries (a
float32 copy of X in a forest, per-tree outputs, ...) are bounded by the
batch rather than by the number of rows, and the batches are spread over
``n_jobs`` workers with :class:`sklearn.utils.parallel.Parallel`, which
honours ``joblib.parallel_config`` (loky, threading, dask, ...).

Each worker gets one contiguous block of rows and labels it batch by batch:
the model is then shipped once per worker rather than once per batch (a
200-tree forest pickles to hundreds of MB). Inside workers the BLAS and
OpenMP pools are limited to one thread with threadpoolctl, so that
``n_jobs`` workers do not each start one thread per core.
"""

import time

import numpy as np
from joblib import effective_n_jobs
from scipy import sparse
from sklearn.utils import _safe_indexing
from sklearn.utils.parallel import Parallel, delayed
from threadpoolctl import threadpool_limits

DEFAULT_BATCH_SIZE = 10_000


def n_rows_of(X):
    """Number of rows of an array, DataFrame, sparse matrix or list."""
    shape = getattr(X, "shape", None)
    return int(shape[0]) if shape is not None else len(X)


def iter_batches(X, batch_size):
    """Yield consecutive row blocks of X of at most ``batch_size`` rows
    (views where the container allows it)."""
    n_rows = n_rows_of(X)
    step = n_rows if batch_size is None else max(1, int(batch_size))
    for start in range(0, n_rows, step):
        yield _safe_indexing(X, slice(start, min(start + step, n_rows)))


def concatenate_rows(parts, like=None):
    """Stack row blocks (arrays, sparse matrices or DataFrames) of one kind.

    The result takes the form of ``like`` (default: the first block). For a
    polars DataFrame, blocks that are arrays become frames with its columns
    and dtypes first (generators and unlabeled-row checks return arrays for
    polars input), so that a student fitted on the stacked rows keeps the
    feature names, as with pandas.
    """
    template = parts[0] if like is None else like
    if _is_polars_frame(template):
        return _concatenate_polars(parts, template)
    first = parts[0]
    if len(parts) == 1:
        return first
    if sparse.issparse(first):
        return sparse.vstack(parts, format=first.format)
    if hasattr(first, "iloc"):
        import pandas as pd

        return pd.concat(parts, ignore_index=True)
    return np.concatenate([np.asarray(p) for p in parts], axis=0)


def _is_polars_frame(X):
    return type(X).__module__.split(".")[0] == "polars" and hasattr(X, "schema")


def _concatenate_polars(parts, template):
    import polars as pl

    frames = [p if _is_polars_frame(p) else _polars_like(p, template) for p in parts]
    return frames[0] if len(frames) == 1 else pl.concat(frames, how="vertical")


def _polars_like(rows, template):
    """Numeric rows as a polars DataFrame with ``template``'s columns and
    dtypes; integer columns are rounded first (generated values are floats),
    as the pandas path does."""
    import polars as pl

    values = np.asarray(rows)
    schema = template.schema
    columns = {}
    for j, (name, dtype) in enumerate(schema.items()):
        column = values[:, j]
        if dtype.is_integer():
            column = np.rint(column.astype(np.float64))
        columns[name] = column
    return pl.DataFrame(columns).cast(dict(schema))


def _label_block(predict, X_block, batch_size, limit_threads):
    """Outputs of ``predict`` on a block of rows, computed batch by batch."""
    if limit_threads:
        with threadpool_limits(limits=1):
            return _label_block(predict, X_block, batch_size, False)
    outputs = [np.asarray(predict(batch)) for batch in iter_batches(X_block, batch_size)]
    return outputs[0] if len(outputs) == 1 else np.concatenate(outputs, axis=0)


def predict_in_batches(
    predict, X, *, batch_size=DEFAULT_BATCH_SIZE, n_jobs=None, verbose=0, log=None, what="rows"
):
    """``predict(X)`` computed batch by batch, in parallel when ``n_jobs`` allows.

    Parameters
    ----------
    predict : callable
        Takes a block of rows and returns an array with one entry (or row) per
        input row, e.g. ``functools.partial(teacher_outputs, teacher)``. Must
        be picklable for process-based backends.
    X : {array-like, sparse matrix, DataFrame}
        The rows.
    batch_size : int or None, default=10_000
        Rows per call of ``predict``; ``None`` for one call per worker.
    n_jobs : int, default=None
        Workers, joblib semantics (``None`` is 1 unless a
        ``joblib.parallel_config`` context says otherwise).
    verbose : int, default=0
        Passed to ``Parallel`` (above 1); ``log`` gets a summary line.
    log : callable, default=None
        ``log(message)`` for progress messages.
    what : str, default="rows"
        Name of the rows in messages.

    Returns
    -------
    outputs : ndarray
        Outputs for all rows, in order.
    """
    n_rows = n_rows_of(X)
    n_batches = 1 if batch_size is None else -(-n_rows // max(1, int(batch_size)))
    n_workers = effective_n_jobs(n_jobs)
    start = time.perf_counter()
    if n_workers == 1 or n_batches == 1:
        result = _fill_in_batches(predict, X, n_rows, batch_size, verbose, log, what)
        n_tasks = 1
    else:
        n_tasks = min(n_batches, n_workers)
        bounds = _block_bounds(n_rows, n_batches, n_tasks, batch_size)
        blocks = (
            delayed(_label_block)(predict, _safe_indexing(X, slice(lo, hi)), batch_size, True)
            for lo, hi in bounds
        )
        # Threads by default: tree, linear and neighbour teachers predict
        # without the GIL, and threads need no copy of a model that may
        # pickle to hundreds of MB (1M rows, 200 trees: 1.98x on 2 cores with
        # threads, 1.67x with processes). A backend chosen with
        # joblib.parallel_config (loky for GIL-bound teachers, dask) wins over
        # this hint. Threads share one process: the workers' own limits would
        # undo each other on exit, so the parent holds the limit too.
        with threadpool_limits(limits=1):
            outputs = Parallel(n_jobs=n_jobs, prefer="threads", verbose=max(0, verbose - 1))(
                blocks
            )
        result = np.concatenate(outputs, axis=0)
    if log is not None and verbose:
        log(
            f"labelled {n_rows} {what} in {time.perf_counter() - start:.2f}s "
            f"({n_batches} batch(es), {n_tasks} task(s))"
        )
    return result


def _fill_in_batches(predict, X, n_rows, batch_size, verbose, log, what):
    """Sequential labelling; each batch's outputs are written into the result
    as they come, so memory holds the result and one batch's temporaries."""
    result = None
    done = 0
    for batch in iter_batches(X, batch_size):
        outputs = np.asarray(predict(batch))
        if result is None:
            if len(outputs) == n_rows:
                return outputs
            result = np.empty((n_rows,) + outputs.shape[1:], dtype=outputs.dtype)
        result[done : done + len(outputs)] = outputs
        done += len(outputs)
        if log is not None and verbose > 1:
            log(f"labelled {done}/{n_rows} {what}")
    return result


def _block_bounds(n_rows, n_batches, n_tasks, batch_size):
    """Contiguous row ranges, one per task, each a whole number of batches."""
    per_task = np.full(n_tasks, n_batches // n_tasks)
    per_task[: n_batches % n_tasks] += 1
    ends = np.minimum(np.cumsum(per_task) * int(batch_size), n_rows)
    starts = np.concatenate([[0], ends[:-1]])
    return list(zip(starts.tolist(), ends.tolist()))
