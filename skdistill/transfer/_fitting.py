"""How the distilled estimators read their ``transfer`` parameter and
unlabeled rows (private: used by :mod:`skdistill._distill`)."""

import numbers

import numpy as np
from scipy import sparse
from sklearn.base import clone
from sklearn.utils.validation import check_array

from .._labeling import concatenate_rows, n_rows_of
from .._utils import seed_unset_random_states
from ._adversarial import AdversarialSampler
from ._base import is_dataframe
from ._generators import is_generator


def _is_component(item):
    return isinstance(item, AdversarialSampler) or is_generator(item) or hasattr(item, "shape")


def split_transfer(transfer):
    """``(generators, arrays, sampler)`` from a ``transfer`` parameter.

    ``transfer`` is None, a generator, an :class:`AdversarialSampler`, an
    array-like of rows, or a list/tuple of those (a list holding no
    generator, sampler or array object is read as rows).
    """
    if transfer is None or (isinstance(transfer, (list, tuple)) and not transfer):
        return [], [], None
    if isinstance(transfer, (list, tuple)) and any(_is_component(t) for t in transfer):
        items = list(transfer)
    else:
        items = [transfer]
    generators, arrays, samplers = [], [], []
    for item in items:
        if isinstance(item, AdversarialSampler):
            samplers.append(item)
        elif is_generator(item):
            generators.append(item)
        elif (
            isinstance(item, (type, str, bytes, numbers.Number, dict))
            or item is None
            or callable(item)
        ):
            raise TypeError(
                'transfer must be "auto", None, a transfer-set generator (e.g. '
                "skdistill.transfer.Munge()), an AdversarialSampler, an array-like "
                f"of unlabeled rows, or a list of these; got {item!r} of type "
                f"{type(item).__name__}"
            )
        else:
            arrays.append(item)
    if len(samplers) > 1:
        raise ValueError(f"transfer may hold at most one AdversarialSampler, got {len(samplers)}")
    return generators, arrays, (samplers[0] if samplers else None)


def needs_dense(transfer):
    """True when ``transfer`` holds a generator (which needs dense, finite X)."""
    try:
        generators, _, sampler = split_transfer(transfer)
    except (TypeError, ValueError):
        return False
    return bool(generators) or sampler is not None


def check_unlabeled(rows, X, name):
    """Unlabeled rows in X's form (array, sparse matrix or DataFrame), with
    X's number of columns (and names for a DataFrame)."""
    n_features = X.shape[1]
    if is_dataframe(X):
        import pandas as pd

        if is_dataframe(rows):
            missing = [c for c in X.columns if c not in set(rows.columns)]
            extra = [c for c in rows.columns if c not in set(X.columns)]
            if missing or extra:
                raise ValueError(
                    f"{name} must have the columns of X; missing {missing!r}, unexpected {extra!r}"
                )
            rows = rows[list(X.columns)]
        else:
            rows = _checked_array(rows, name, accept_sparse=False)
            _check_width(rows, n_features, name)
            rows = pd.DataFrame(rows, columns=X.columns)
            try:
                rows = rows.astype(X.dtypes.to_dict())
            except (TypeError, ValueError):
                pass  # keep the inferred dtypes; the teacher validates them
        if rows.shape[0] == 0:
            raise ValueError(f"{name} must have at least one row, got 0")
        return rows
    if is_dataframe(rows):
        rows = rows.to_numpy()
    rows = _checked_array(rows, name, accept_sparse=["csr", "csc", "coo"])
    _check_width(rows, n_features, name)
    if not sparse.issparse(rows):
        rows = _check_kind(rows, X, name)
    if sparse.issparse(X):
        return sparse.csr_matrix(rows).asformat(X.format)
    if sparse.issparse(rows):
        return rows.toarray()
    return rows


def _checked_array(rows, name, accept_sparse):
    """``rows`` as a 2-D array, with errors that name the parameter."""
    try:
        shape = rows.shape if hasattr(rows, "shape") else np.shape(rows)
    except ValueError:  # ragged rows: check_array says so
        shape = (None, None)
    if len(shape) != 2:
        raise ValueError(
            f"{name} must be a 2-D array of rows with X's columns, got an array of "
            f"shape {tuple(shape)}; reshape one row with row.reshape(1, -1)"
        )
    if shape[0] == 0:
        raise ValueError(f"{name} must have at least one row, got 0 (shape {tuple(shape)})")
    return check_array(
        rows, accept_sparse=accept_sparse, dtype=None, ensure_all_finite=False, input_name=name
    )


def _check_kind(rows, X, name):
    """Numeric X takes numeric unlabeled rows only (the teacher would fail
    deep inside with "could not convert string to float")."""
    X_kind = getattr(getattr(X, "dtype", None), "kind", None)
    rows_kind = getattr(getattr(rows, "dtype", None), "kind", None)
    if X_kind in ("b", "i", "u", "f") and rows_kind in ("U", "S", "O"):
        try:
            return np.asarray(rows, dtype=np.float64)
        except (TypeError, ValueError):
            raise ValueError(
                f"{name} must be numeric like X (dtype {X.dtype}), got values of dtype "
                f"{rows.dtype} that are not numbers, e.g. {rows.ravel()[0]!r}"
            ) from None
    return rows


def _check_width(rows, n_features, name):
    if rows.shape[1] != n_features:
        raise ValueError(
            f"{name} has {rows.shape[1]} features, but X has {n_features} features; "
            "unlabeled rows must have the same columns as X"
        )


def seeded_clones(generators, sampler, rng, seed):
    """Clones of the generators (and sampler), with unset random states drawn
    from ``rng`` when the distilled estimator has a ``random_state``."""
    generators = [clone(g) for g in generators]
    sampler = None if sampler is None else clone(sampler)
    if seed:
        for item in [*generators] + ([sampler] if sampler is not None else []):
            seed_unset_random_states(item, rng)
    return generators, sampler


def transfer_rows(X, generators, arrays, X_unlabeled=None):
    """All transfer rows (generated + given), stacked in X's form, or None."""
    parts = [check_unlabeled(a, X, "transfer") for a in arrays]
    if X_unlabeled is not None:
        parts.append(check_unlabeled(X_unlabeled, X, "X_unlabeled"))
    for generator in generators:
        parts.append(generator.sample(X))
    parts = [p for p in parts if n_rows_of(p) > 0]
    if not parts:
        return None
    return concatenate_rows(parts, like=X)


def as_rows_container(X):
    """X as something generators and row stacking accept: lists become arrays."""
    if isinstance(X, (list, tuple)):
        return np.asarray(X)
    return X
