"""Chunked, parallel labelling (skdistill._labeling)."""

import tracemalloc
from functools import partial

import joblib
import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy import sparse
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier

from skdistill._labeling import _block_bounds, iter_batches, predict_in_batches
from skdistill._targets import teacher_outputs


@pytest.fixture(scope="module")
def fitted_forest():
    X, y = make_classification(
        n_samples=400, n_features=6, n_classes=3, n_informative=4, random_state=0
    )
    return RandomForestClassifier(n_estimators=10, random_state=0).fit(X, y), X


def _row_sums(X):
    return np.asarray(X.sum(axis=1) if hasattr(X, "sum") else np.sum(X, axis=1)).ravel()


def _copy_as_float32(X):
    # allocates a copy proportional to the rows it is given, as a forest does
    return np.asarray(X, dtype=np.float32).sum(axis=1) * 2


@pytest.mark.parametrize("batch_size", [1, 7, 100, 399, 400, 10_000, None])
def test_batches_give_the_same_outputs(fitted_forest, batch_size):
    forest, X = fitted_forest
    expected = teacher_outputs(forest, X, forest.classes_)
    labels = predict_in_batches(
        partial(teacher_outputs, forest, classes=forest.classes_), X, batch_size=batch_size
    )
    assert_allclose(labels, expected)


@pytest.mark.parametrize("n_jobs", [2, -1])
def test_parallel_gives_the_same_outputs(fitted_forest, n_jobs):
    forest, X = fitted_forest
    expected = forest.predict_proba(X)
    got = predict_in_batches(forest.predict_proba, X, batch_size=50, n_jobs=n_jobs)
    assert_allclose(got, expected)
    with joblib.parallel_config(backend="threading"):
        assert_allclose(
            predict_in_batches(forest.predict_proba, X, batch_size=50, n_jobs=2), expected
        )


def test_containers(fitted_forest):
    pd = pytest.importorskip("pandas")
    _, X = fitted_forest
    expected = X.sum(axis=1)
    for rows in (X, pd.DataFrame(X), sparse.csr_matrix(X), X.tolist()):
        assert_allclose(predict_in_batches(_row_sums, rows, batch_size=33), expected)
        assert_allclose(predict_in_batches(_row_sums, rows, batch_size=33, n_jobs=2), expected)


def test_batch_size_is_honoured():
    seen = []

    def record(X):
        seen.append(len(X))
        return np.zeros(len(X))

    predict_in_batches(record, np.zeros((1050, 2)), batch_size=100)
    assert seen == [100] * 10 + [50]
    assert [len(b) for b in iter_batches(np.zeros((5, 1)), 2)] == [2, 2, 1]


def test_blocks_are_whole_batches_covering_all_rows():
    bounds = _block_bounds(1050, 11, 2, 100)
    assert bounds == [(0, 600), (600, 1050)]
    bounds = _block_bounds(1000, 10, 3, 100)
    assert bounds == [(0, 400), (400, 700), (700, 1000)]


def test_peak_memory_is_bounded_by_the_batch():
    X = np.random.RandomState(0).normal(size=(200_000, 10))
    peaks = {}
    for batch_size in (None, 5_000):
        tracemalloc.start()
        predict_in_batches(_copy_as_float32, X, batch_size=batch_size)
        peaks[batch_size] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    # one call copies all 200k rows (8 MB as float32); batches copy 5k rows
    assert peaks[None] > 7e6
    assert peaks[5_000] < peaks[None] / 4


def _blas_threads(X):
    from threadpoolctl import threadpool_info

    counts = [
        pool["num_threads"] for pool in threadpool_info() if pool["user_api"] in ("blas", "openmp")
    ]
    return np.full(len(X), max(counts) if counts else -1)


def test_threads_limited_inside_workers():
    from threadpoolctl import threadpool_info

    if not threadpool_info():
        pytest.skip("no BLAS/OpenMP pool to limit")
    X = np.zeros((40, 2))
    with joblib.parallel_config(backend="threading"):
        inside = predict_in_batches(_blas_threads, X, batch_size=10, n_jobs=2)
    assert np.all(inside == 1)


def test_progress_messages(fitted_forest):
    _, X = fitted_forest
    messages = []
    predict_in_batches(_row_sums, X, batch_size=100, verbose=2, log=messages.append)
    assert messages[:2] == ["labelled 100/400 rows", "labelled 200/400 rows"]
    assert messages[-1].startswith("labelled 400 rows in ")
    messages.clear()
    predict_in_batches(_row_sums, X, batch_size=100, verbose=0, log=messages.append)
    assert messages == []


def test_single_batch_runs_in_process(fitted_forest):
    _, X = fitted_forest
    calls = []

    def local(rows):  # not picklable by reference: must not be shipped anywhere
        calls.append(len(rows))
        return _row_sums(rows)

    assert_array_equal(predict_in_batches(local, X, batch_size=None, n_jobs=2), X.sum(axis=1))
    assert calls == [400]
