"""What every transfer-set generator shares: input checks, output size, and
the split of a table into continuous and discrete columns.

A generator never changes its input. It reads X as two blocks, a float
matrix of continuous columns and an integer code matrix of discrete
columns (each code indexing the column's observed levels), draws new rows
block by block, and puts them back into X's form: a float64 ndarray for
array input, a DataFrame with X's columns and dtypes for DataFrame input.

Missing values (NaN) are allowed, as many teachers take them
(HistGradientBoosting*, trees): a missing entry is a value like any other
that a new row may copy, and each generator says how it treats it.
Infinite values are rejected.
"""

from __future__ import annotations

import numbers
from typing import TYPE_CHECKING

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_array

from .._typing import ArrayLike, Float64Array, RandomStateLike
from .._validation import check_int, check_real

if TYPE_CHECKING:
    import pandas as pd

# Numeric columns whose values are all integers and that take at most this
# many distinct values are treated as discrete by categorical_features="auto".
AUTO_MAX_LEVELS = 10
# Rows are generated this many at a time, so the temporaries of one draw
# (swap masks, normal draws, neighbour values) stay small whatever the
# number of rows asked for; only the output grows with it.
GENERATION_CHUNK = 16_384
# A transfer set is refused, before any row is drawn, when its rows would
# take more than this many bytes as float64 (rows x columns x 8): the output
# alone, before the teacher's targets and the student's copies of it. A
# size_factor of 1e12, a typo for 1e2, would otherwise end in a MemoryError
# (or the machine swapping) deep inside numpy.
MAX_TRANSFER_BYTES = 4 * 2**30


def is_dataframe(X):
    return hasattr(X, "iloc") and hasattr(X, "dtypes") and hasattr(X, "columns")


class Table:
    """X split into continuous values and discrete codes.

    Attributes
    ----------
    continuous : ndarray of shape (n_rows, n_continuous), float64
    codes : ndarray of shape (n_rows, n_discrete), intp
    levels : list of array-like
        Observed levels of each discrete column; ``levels[j][codes[:, j]]``
        gives the column back.
    continuous_idx, discrete_idx : ndarray of int
        Positions of the two kinds of columns in X.
    """

    def __init__(
        self, continuous, codes, levels, continuous_idx, discrete_idx, n_features, frame=None
    ):
        self.continuous = continuous
        self.codes = codes
        self.levels = levels
        self.continuous_idx = continuous_idx
        self.discrete_idx = discrete_idx
        self.n_features = n_features
        self.frame = frame  # (columns, dtypes) of a DataFrame input, else None

    @property
    def n_rows(self):
        return max(self.continuous.shape[0], self.codes.shape[0])

    def assemble_chunks(self, n_rows, parts):
        """New rows in X's form from ``(rows slice, continuous, codes)`` chunks.

        For array output each chunk is written straight into the result, so
        memory holds the result plus one chunk, not two copies of the result.
        """
        if self.frame is not None:
            continuous = np.empty((n_rows, len(self.continuous_idx)), dtype=np.float64)
            codes = np.empty((n_rows, len(self.discrete_idx)), dtype=np.intp)
            for part, cont_part, codes_part in parts:
                continuous[part] = cont_part
                codes[part] = codes_part
            return self.assemble(continuous, codes)
        out = np.empty((n_rows, self.n_features), dtype=np.float64)
        all_continuous = not len(self.discrete_idx)
        for part, cont_part, codes_part in parts:
            if all_continuous:
                out[part] = cont_part  # continuous_idx is 0..n_features-1
                continue
            block = out[part]
            block[:, self.continuous_idx] = cont_part
            for j, position in enumerate(self.discrete_idx):
                block[:, position] = np.take(self.levels[j], codes_part[:, j])
        return out

    def assemble(self, continuous, codes):
        """New rows (continuous values, discrete codes) in X's form."""
        n_rows = max(continuous.shape[0], codes.shape[0])
        if self.frame is None:
            out = np.empty((n_rows, self.n_features), dtype=np.float64)
            out[:, self.continuous_idx] = continuous
            for j, position in enumerate(self.discrete_idx):
                out[:, position] = np.take(self.levels[j], codes[:, j])
            return out
        import pandas as pd

        columns, dtypes = self.frame
        data = {}
        for j, position in enumerate(self.continuous_idx):
            values = continuous[:, j]
            if dtypes.iloc[position].kind in "iu":
                # An integer column with many levels is blurred as a number,
                # then rounded so that the frame keeps its dtype.
                values = np.rint(values)
            data[position] = values
        for j, position in enumerate(self.discrete_idx):
            data[position] = np.asarray(pd.Index(self.levels[j]).take(codes[:, j]))
        frame = pd.DataFrame(
            {columns[i]: data[i] for i in range(self.n_features)}, columns=columns
        )
        return frame.astype(dict(zip(columns, dtypes)))


def check_dense(X, owner):
    """Raise a clear TypeError for sparse X."""
    if sparse.issparse(X):
        raise TypeError(
            f"{owner} needs dense X to generate rows; got a sparse matrix of format "
            f"{X.format!r}. Convert it with X.toarray(), or pass unlabeled rows "
            "directly as transfer=array or X_unlabeled=..."
        )


def encode_table(X, categorical_features, owner):
    """Read X (array-like or DataFrame) as a :class:`Table`.

    ``categorical_features`` says which columns are discrete: ``"auto"``
    (bool columns, non-numeric DataFrame columns, and integer-valued numeric
    columns with at most ``AUTO_MAX_LEVELS`` distinct values), ``None`` (only
    the non-numeric DataFrame columns), or the columns themselves as
    indices, a boolean mask or DataFrame column names.
    """
    name = type(owner).__name__
    check_dense(X, name)
    if is_dataframe(X):
        return _encode_frame(X, categorical_features, name)
    X = check_array(
        X,
        dtype=np.float64,
        ensure_2d=True,
        ensure_all_finite="allow-nan",
        estimator=name,
        input_name="X",
    )
    declared = _declared_discrete(categorical_features, X.shape[1], None, name)
    return _encode_numeric(X, declared, _is_auto(categorical_features), frame=None)


def _encode_frame(X, categorical_features, name):
    import pandas as pd

    n_rows, n_features = X.shape
    if n_rows == 0 or n_features == 0:
        raise ValueError(f"{name} needs at least one row and one column in X, got shape {X.shape}")
    columns, dtypes = X.columns, X.dtypes
    numeric = np.array(
        [pd.api.types.is_numeric_dtype(dt) and not pd.api.types.is_bool_dtype(dt) for dt in dtypes]
    )
    declared = _declared_discrete(categorical_features, n_features, columns, name)
    values = np.empty((n_rows, n_features), dtype=np.float64)
    forced = ~numeric  # non-numeric columns can only be swapped
    if numeric.any():
        block = X.iloc[:, np.flatnonzero(numeric)].to_numpy(dtype=np.float64)
        finite = ~np.isinf(block).any(axis=0)
        if not finite.all():
            bad = columns[np.flatnonzero(numeric)[np.flatnonzero(~finite)[0]]]
            raise ValueError(
                f"{name} cannot generate rows from infinite values; column {bad!r} "
                "contains infinity."
            )
        values[:, numeric] = block
    table = _encode_numeric(
        values,
        declared | forced,
        _is_auto(categorical_features),
        frame=(columns, dtypes),
        skip=forced,
    )
    for j, position in enumerate(table.discrete_idx):
        if forced[position]:
            codes, uniques = pd.factorize(X.iloc[:, position], use_na_sentinel=False)
            table.codes[:, j] = codes
            table.levels[j] = uniques
    return table


def _encode_numeric(values, discrete, auto, frame, skip=None):
    n_rows, n_features = values.shape
    discrete = discrete.copy()
    if auto:
        for j in range(n_features):
            if discrete[j]:
                continue
            column = values[:, j]
            if np.all(column == np.round(column)):
                discrete[j] = len(np.unique(column)) <= AUTO_MAX_LEVELS
    discrete_idx = np.flatnonzero(discrete)
    continuous_idx = np.flatnonzero(~discrete)
    codes = np.zeros((n_rows, len(discrete_idx)), dtype=np.intp)
    levels = []
    for j, position in enumerate(discrete_idx):
        if skip is not None and skip[position]:
            levels.append(None)  # filled by the caller (non-numeric column)
            continue
        uniques, inverse = np.unique(values[:, position], return_inverse=True)
        codes[:, j] = inverse.ravel()
        levels.append(uniques)
    continuous = np.ascontiguousarray(values[:, continuous_idx])
    return Table(continuous, codes, levels, continuous_idx, discrete_idx, n_features, frame)


def _is_auto(categorical_features):
    return isinstance(categorical_features, str) and categorical_features == "auto"


def _declared_discrete(categorical_features, n_features, columns, name):
    """Boolean mask of the columns declared discrete by the user."""
    mask = np.zeros(n_features, dtype=bool)
    if categorical_features is None or (
        isinstance(categorical_features, str) and categorical_features == "auto"
    ):
        return mask
    if isinstance(categorical_features, str):
        raise ValueError(
            f"categorical_features must be 'auto', None, or a list of column indices, "
            f"names or a boolean mask; got the string {categorical_features!r}"
        )
    spec = np.asarray(categorical_features)
    if spec.ndim != 1:
        raise ValueError(f"categorical_features must be one-dimensional, got shape {spec.shape}")
    if spec.dtype == bool:
        if len(spec) != n_features:
            raise ValueError(
                f"categorical_features as a boolean mask must have one entry per "
                f"column of X ({n_features}), got {len(spec)}"
            )
        return spec.copy()
    if spec.dtype.kind in "OUS":
        if columns is None:
            raise ValueError(
                "categorical_features names columns "
                f"{list(spec)!r}, but X is not a DataFrame; give column indices"
            )
        missing = [c for c in spec.tolist() if c not in set(columns)]
        if missing:
            raise ValueError(
                f"categorical_features names columns that X does not have: {missing!r}"
            )
        return np.isin(np.asarray(columns), spec)
    if spec.dtype.kind not in "iu" and len(spec):
        raise TypeError(
            "categorical_features must hold column indices (ints), column names "
            f"or booleans; got dtype {spec.dtype}"
        )
    spec = spec.astype(np.intp)
    if len(spec) and (spec.min() < -n_features or spec.max() >= n_features):
        raise ValueError(
            f"categorical_features has indices outside [0, {n_features}) for X with "
            f"{n_features} columns: {spec.tolist()!r}"
        )
    mask[spec] = True
    return mask


def base_rows(n_rows, n_samples, rng):
    """Which real row each new row starts from: every row equally often
    (whole passes over the data), the remainder a random subset."""
    passes, extra = divmod(n_samples, n_rows)
    rows = np.tile(np.arange(n_rows), passes)
    if extra:
        rows = np.concatenate([rows, np.sort(rng.choice(n_rows, extra, replace=False))])
    return rows


def _readable_bytes(n_bytes):
    for unit in ("bytes", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if n_bytes < 1024 or unit == "PiB":
            return f"{n_bytes:.0f} {unit}" if unit == "bytes" else f"{n_bytes:.3g} {unit}"
        n_bytes /= 1024


def check_transfer_size(n_samples, n_rows, n_features, owner, asked):
    """Raise a ValueError naming the rows and bytes asked for (``asked``
    says by which parameter) when ``n_samples`` rows of ``n_features``
    float64 columns exceed ``MAX_TRANSFER_BYTES``."""
    n_bytes = float(n_samples) * n_features * 8
    if n_bytes <= MAX_TRANSFER_BYTES:
        return
    max_rows = MAX_TRANSFER_BYTES // (8 * n_features)
    finite = isinstance(n_samples, int) or np.isfinite(n_samples)
    rows = f"{round(n_samples)}" if finite else "infinitely many"
    raise ValueError(
        f"{type(owner).__name__} would draw {rows} rows x {n_features} columns "
        f"({asked}), {_readable_bytes(n_bytes)} as float64: over the "
        f"{_readable_bytes(MAX_TRANSFER_BYTES)} limit on a transfer set. Ask for at most "
        f"{max_rows} rows (size_factor <= {max_rows / n_rows:.6g} for these {n_rows} rows)"
    )


def chunks(n_samples):
    """Row slices of at most ``GENERATION_CHUNK`` rows covering ``n_samples``."""
    for start in range(0, n_samples, GENERATION_CHUNK):
        yield slice(start, min(start + GENERATION_CHUNK, n_samples))


class BaseGenerator(BaseEstimator):
    """Base class of the transfer-set generators.

    Subclasses implement ``_generate(table, n_samples, rng)``, yielding
    ``(rows slice, continuous values, discrete codes)`` chunk by chunk, and
    ``_check_params()``.
    """

    def sample(
        self, X: ArrayLike, n_samples: int | None = None, random_state: RandomStateLike = None
    ) -> Float64Array | pd.DataFrame:
        """Draw synthetic rows around the rows of X.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_rows, n_features)
            Real rows (not modified). Must be dense and finite.
        n_samples : int, default=None
            Number of rows to draw; by default the generator's ``n_samples``,
            else ``round(size_factor * n_rows)``.
        random_state : int, RandomState instance or None, default=None
            Overrides the generator's ``random_state`` for this call (used by
            repeated calls that need fresh rows).

        Returns
        -------
        X_new : ndarray of shape (n_samples, n_features) or DataFrame
            float64 array for array input; for a DataFrame, a DataFrame with
            the same columns and dtypes.
        """
        self._check_params()
        table = encode_table(X, self.categorical_features, self)
        n_samples = self._n_samples_for(table.n_rows, n_samples, table.n_features)
        rng = check_random_state(self.random_state if random_state is None else random_state)
        return table.assemble_chunks(n_samples, self._generate(table, n_samples, rng))

    def _n_samples_for(self, n_rows, n_samples=None, n_features=1):
        """Rows to draw, at most ``MAX_TRANSFER_BYTES`` of ``n_features``
        float64 columns."""
        if n_samples is not None:
            n_samples = check_int(n_samples, "n_samples", low=1)
            asked = f"n_samples={n_samples}"
        elif self.n_samples is not None:
            n_samples = check_int(self.n_samples, "n_samples", low=1)
            asked = f"n_samples={n_samples}"
        else:
            factor = check_real(self.size_factor, "size_factor", low=0, low_inclusive=False)
            n_samples = max(1.0, factor * n_rows)  # a float: may be too large for an int
            asked = f"size_factor={factor:g} x {n_rows} rows of X"
        check_transfer_size(n_samples, n_rows, n_features, self, asked)
        return int(round(n_samples))

    def _check_common_params(self):
        if self.n_samples is None:
            check_real(self.size_factor, "size_factor", low=0, low_inclusive=False)
        else:
            check_int(self.n_samples, "n_samples", low=1)
        if not (
            self.random_state is None
            or isinstance(self.random_state, (numbers.Integral, np.random.RandomState))
        ):
            raise TypeError(
                "random_state must be None, an int or a RandomState instance, got "
                f"{self.random_state!r}"
            )

    def _check_params(self):
        self._check_common_params()
