"""Synthetic transfer rows: MUNGE, Gaussian noise, mixup, uniform box."""

import hashlib

import numpy as np
from scipy import sparse
from sklearn.neighbors import NearestNeighbors

from .._validation import check_n_jobs, check_real
from ._base import BaseGenerator, base_rows, chunks

# Above this many one-hot columns for the discrete attributes, MUNGE's
# neighbour search runs on a sparse matrix instead of a dense one.
DENSE_ONE_HOT_LIMIT = 256

_COMMON_PARAMS = """
    size_factor : float, default=10.0
        Rows to draw per real row: ``sample(X)`` returns
        ``round(size_factor * len(X))`` rows (at least one). Must be > 0.
    n_samples : int, default=None
        Exact number of rows to draw; overrides ``size_factor`` when given.
        Either way, a set whose rows would take more than 4 GiB as float64
        (rows x columns x 8 bytes, ``MAX_TRANSFER_BYTES``) is refused with a
        ValueError before any row is drawn.
    categorical_features : "auto", None, array-like of int, str or bool, default="auto"
        The discrete columns. ``"auto"``: boolean and non-numeric DataFrame
        columns, and numeric columns whose values are all integers with at
        most 10 distinct values (``AUTO_MAX_LEVELS``). ``None``: only the
        non-numeric DataFrame columns. Otherwise the columns themselves, as
        indices, a boolean mask, or DataFrame column names. Generated
        discrete values are always values observed in that column."""

_RANDOM_STATE = """
    random_state : int, RandomState instance or None, default=None
        Seeds the draws. Inside a distilled estimator, a ``None`` here is
        seeded from the estimator's own ``random_state``."""


class Munge(BaseGenerator):
    __doc__ = (
        """MUNGE synthetic rows (Bucilua, Caruana & Niculescu-Mizil, KDD 2006).

    Each new row starts from a real row ``a`` and its nearest neighbour
    ``b`` among the real rows. Each attribute is swapped with probability
    ``p``: a continuous attribute takes a value drawn from a normal
    distribution centred on ``b``'s value with standard deviation
    ``|a - b| / s``; a discrete attribute takes ``b``'s value (swapped, never
    blurred). Other attributes keep ``a``'s value. New rows thus fill the
    space between close real rows, where the teacher's knowledge is needed,
    instead of spreading over the whole feature box.

    Neighbours are found once with :class:`sklearn.neighbors.NearestNeighbors`
    under the distance of the paper: Euclidean on continuous attributes
    scaled to [0, 1], plus the Hamming distance (0 or 1 per attribute) on
    discrete ones. Unlike the paper's loop, which perturbs the neighbour in
    place too and lets later rows see earlier changes, this version draws
    every row independently from its unperturbed pair, vectorised over all
    rows; ``size_factor`` passes over the data replace the paper's
    repetitions. Each real row seeds the same number of new rows.

    Missing values (NaN) count as the column's mean in the neighbour search;
    a swapped attribute where either row is missing takes the neighbour's
    value (missing or not) without blur.

    Parameters
    ----------"""
        + _COMMON_PARAMS
        + """
    p : float in [0, 1], default=0.5
        Probability of swapping each attribute with the neighbour's.
    s : float, default=1.0
        Local variance parameter: the blur's standard deviation is
        ``|a - b| / s``, so larger ``s`` keeps continuous values closer to
        the neighbour's. Must be > 0.
    n_jobs : int, default=None
        Jobs for the neighbour search."""
        + _RANDOM_STATE
        + """

    See Also
    --------
    GaussianNoise, Mixup, UniformBox : other generators.
    skdistill.DistilledClassifier : takes them as ``transfer=``.

    Examples
    --------
    >>> import numpy as np
    >>> from skdistill.transfer import Munge
    >>> X = np.array([[0.0, 1], [0.1, 1], [1.0, 0], [1.2, 0]])
    >>> rows = Munge(size_factor=5, random_state=0).sample(X)
    >>> rows.shape
    (20, 2)
    >>> sorted(set(rows[:, 1]))  # the 0/1 column is discrete: never blurred
    [np.float64(0.0), np.float64(1.0)]
    """
    )

    def __init__(
        self,
        size_factor=10.0,
        *,
        n_samples=None,
        p=0.5,
        s=1.0,
        categorical_features="auto",
        n_jobs=None,
        random_state=None,
    ):
        self.size_factor = size_factor
        self.n_samples = n_samples
        self.p = p
        self.s = s
        self.categorical_features = categorical_features
        self.n_jobs = n_jobs
        self.random_state = random_state

    def _check_params(self):
        self._check_common_params()
        check_real(self.p, "p", low=0, high=1)
        check_real(self.s, "s", low=0, low_inclusive=False)
        check_n_jobs(self.n_jobs)

    def nearest_neighbours(self, table):
        """Index of each real row's nearest other row (itself for a single row).

        The search is exact and costs O(n_rows²) distance computations beyond
        about 15 columns (where scikit-learn uses brute force), so the result
        is kept for the last data seen: repeated draws from the same rows
        (adversarial rounds, several ``sample`` calls) search once.
        """
        n_rows = table.n_rows
        if n_rows == 1:
            return np.zeros(1, dtype=np.intp)
        key = _table_key(table)
        cached = self.__dict__.get("_neighbour_cache")
        if cached is not None and cached[0] == key:
            return cached[1]
        space = _munge_space(table)
        search = NearestNeighbors(n_neighbors=1, n_jobs=self.n_jobs).fit(space)
        # Without a query, kneighbors excludes each row from its own neighbours.
        neighbours = search.kneighbors(return_distance=False)[:, 0]
        self._neighbour_cache = (key, neighbours)
        return neighbours

    def __getstate__(self):
        state = dict(super().__getstate__())  # may be self.__dict__ itself
        state.pop("_neighbour_cache", None)  # a cache, not part of the model
        return state

    def _generate(self, table, n_samples, rng):
        p, s = float(self.p), float(self.s)
        neighbours = self.nearest_neighbours(table)
        rows = base_rows(table.n_rows, n_samples, rng)
        cont, codes = table.continuous, table.codes
        for part in chunks(n_samples):
            own, other = rows[part], neighbours[rows[part]]
            new_cont = cont[own]
            if cont.shape[1]:
                b = cont[other]
                blurred = rng.standard_normal(b.shape)
                blurred *= np.abs(new_cont - b)
                blurred /= s
                blurred += b
                missing = np.isnan(blurred)
                if missing.any():
                    blurred[missing] = b[missing]
                swap = rng.random(b.shape) < p
                new_cont[swap] = blurred[swap]
            new_codes = codes[own]
            if codes.shape[1]:
                swap = rng.random(new_codes.shape) < p
                new_codes[swap] = codes[other][swap]
            yield part, new_cont, new_codes


def _table_key(table):
    """Digest of a table's values, to recognise the same rows again."""
    digest = hashlib.blake2b(digest_size=16)
    for block in (table.continuous, table.codes):
        block = np.ascontiguousarray(block)
        digest.update(str(block.shape).encode())
        if block.size:
            digest.update(memoryview(block).cast("B"))
    return digest.hexdigest()


def _munge_space(table):
    """Rows in the space of MUNGE's distance: continuous columns scaled to
    [0, 1] and discrete columns one-hot encoded and scaled by 1/sqrt(2), so
    that two different levels are at distance 1 (Hamming)."""
    cont = table.continuous
    low, high, mean = _column_stats(cont)
    span = np.where(high > low, high - low, 1.0)
    scaled = (np.where(np.isnan(cont), mean, cont) - low) / span if cont.shape[1] else cont
    if not table.codes.shape[1]:
        return scaled
    n_rows = table.n_rows
    widths = table.codes.max(axis=0) + 1
    offsets = np.concatenate([[0], np.cumsum(widths)[:-1]])
    cols = (table.codes + offsets).ravel()
    rows = np.repeat(np.arange(n_rows), table.codes.shape[1])
    one_hot = sparse.csr_matrix(
        (np.full(len(cols), np.sqrt(0.5)), (rows, cols)), shape=(n_rows, int(widths.sum()))
    )
    if widths.sum() <= DENSE_ONE_HOT_LIMIT:
        return np.hstack([scaled, one_hot.toarray()])
    return sparse.hstack([sparse.csr_matrix(scaled), one_hot], format="csr")


def _column_stats(cont):
    """Per-column minimum, maximum and mean ignoring NaN (0 for a column
    with no value at all)."""
    if not cont.shape[1]:
        return np.empty(0), np.empty(0), np.empty(0)
    observed = ~np.isnan(cont)
    count = observed.sum(axis=0)
    filled = np.where(observed, cont, 0.0)
    mean = np.divide(filled.sum(axis=0), count, out=np.zeros(cont.shape[1]), where=count > 0)
    low = np.where(observed, cont, np.inf).min(axis=0)
    high = np.where(observed, cont, -np.inf).max(axis=0)
    low = np.where(count > 0, low, 0.0)
    high = np.where(count > 0, high, 0.0)
    return low, high, mean


class GaussianNoise(BaseGenerator):
    __doc__ = (
        """Real rows with Gaussian noise added to their continuous columns.

    Each new row copies a real row (every row equally often) and adds to
    each continuous column a normal draw with standard deviation
    ``scale * std`` of that column in X. Discrete columns keep the row's
    value: adding noise to a category has no meaning. Missing values stay
    missing.

    Parameters
    ----------"""
        + _COMMON_PARAMS
        + """
    scale : float, default=0.1
        Noise standard deviation relative to each column's standard
        deviation. Must be >= 0 (0 gives exact copies)."""
        + _RANDOM_STATE
        + """

    Examples
    --------
    >>> import numpy as np
    >>> from skdistill.transfer import GaussianNoise
    >>> X = np.random.RandomState(0).normal(size=(100, 3))
    >>> rows = GaussianNoise(size_factor=2, scale=0.5, random_state=0).sample(X)
    >>> rows.shape
    (200, 3)
    """
    )

    def __init__(
        self,
        size_factor=10.0,
        *,
        n_samples=None,
        scale=0.1,
        categorical_features="auto",
        random_state=None,
    ):
        self.size_factor = size_factor
        self.n_samples = n_samples
        self.scale = scale
        self.categorical_features = categorical_features
        self.random_state = random_state

    def _check_params(self):
        self._check_common_params()
        check_real(self.scale, "scale", low=0)

    def _generate(self, table, n_samples, rng):
        rows = base_rows(table.n_rows, n_samples, rng)
        cont = table.continuous
        _, _, mean = _column_stats(cont)
        spread = np.where(np.isnan(cont), mean, cont).std(axis=0) if cont.shape[1] else mean
        sd = float(self.scale) * spread
        for part in chunks(n_samples):
            noise = rng.standard_normal((part.stop - part.start, cont.shape[1]))
            noise *= sd
            noise += cont[rows[part]]
            yield part, noise, table.codes[rows[part]]


class Mixup(BaseGenerator):
    __doc__ = (
        """Convex combinations of random pairs of real rows (mixup).

    Each new row mixes a real row ``a`` (every row equally often) with a
    uniformly drawn real row ``b``: continuous columns take
    ``lam * a + (1 - lam) * b`` with ``lam ~ Beta(alpha, alpha)`` drawn per
    new row; each discrete column takes ``a``'s value with probability
    ``lam``, else ``b``'s (a mixture of categories does not exist). Where
    either value is missing the new row keeps ``a``'s.

    After Zhang et al., "mixup: Beyond Empirical Risk Minimization", ICLR
    2018; here the teacher labels the mixed rows, so no label mixing is
    needed.

    Parameters
    ----------"""
        + _COMMON_PARAMS
        + """
    alpha : float, default=0.4
        Parameter of the symmetric Beta distribution of ``lam``. Small
        values keep new rows near one of the pair; 1 mixes uniformly. Must
        be > 0."""
        + _RANDOM_STATE
        + """

    Examples
    --------
    >>> import numpy as np
    >>> from skdistill.transfer import Mixup
    >>> X = np.array([[0.0, 0.0], [0.5, 0.5]])
    >>> rows = Mixup(n_samples=4, alpha=1.0, random_state=0).sample(X)
    >>> bool(np.allclose(rows[:, 0], rows[:, 1]))  # on the segment between the rows
    True
    """
    )

    def __init__(
        self,
        size_factor=10.0,
        *,
        n_samples=None,
        alpha=0.4,
        categorical_features="auto",
        random_state=None,
    ):
        self.size_factor = size_factor
        self.n_samples = n_samples
        self.alpha = alpha
        self.categorical_features = categorical_features
        self.random_state = random_state

    def _check_params(self):
        self._check_common_params()
        check_real(self.alpha, "alpha", low=0, low_inclusive=False)

    def _generate(self, table, n_samples, rng):
        alpha = float(self.alpha)
        rows = base_rows(table.n_rows, n_samples, rng)
        cont, codes = table.continuous, table.codes
        for part in chunks(n_samples):
            own = rows[part]
            other = rng.randint(table.n_rows, size=len(own))
            lam = rng.beta(alpha, alpha, size=len(own))[:, None]
            a = cont[own]
            mixed = lam * a + (1.0 - lam) * cont[other]
            keep = rng.random((len(own), codes.shape[1])) < lam
            yield (
                part,
                np.where(np.isnan(mixed), a, mixed),
                np.where(keep, codes[own], codes[other]),
            )


class UniformBox(BaseGenerator):
    __doc__ = (
        """Rows drawn uniformly within the per-feature ranges of X.

    Continuous columns are drawn uniformly between the column's minimum and
    maximum, discrete columns uniformly among their observed levels, all
    independently. This is the RANDOM baseline of Bucilua et al. (KDD
    2006): it ignores where the data lies, so in more than a few dimensions
    most of its rows fall where no real row is, and the paper found it
    worse than MUNGE (and getting worse past 100k rows). A column with
    missing values gets them at the rate observed in X.

    Parameters
    ----------"""
        + _COMMON_PARAMS
        + _RANDOM_STATE
        + """

    Examples
    --------
    >>> import numpy as np
    >>> from skdistill.transfer import UniformBox
    >>> X = np.array([[0.0, 10.0], [1.0, 20.0], [0.5, 15.5]])
    >>> rows = UniformBox(n_samples=1000, random_state=0).sample(X)
    >>> bool(rows[:, 1].min() >= 10.0 and rows[:, 1].max() <= 20.0)
    True
    """
    )

    def __init__(
        self, size_factor=10.0, *, n_samples=None, categorical_features="auto", random_state=None
    ):
        self.size_factor = size_factor
        self.n_samples = n_samples
        self.categorical_features = categorical_features
        self.random_state = random_state

    def _generate(self, table, n_samples, rng):
        cont, codes = table.continuous, table.codes
        low, high, _ = _column_stats(cont)
        missing_rate = np.isnan(cont).mean(axis=0) if cont.shape[1] else np.empty(0)
        n_levels = codes.max(axis=0, initial=0) + 1 if codes.shape[1] else np.empty(0, int)
        for part in chunks(n_samples):
            size = part.stop - part.start
            drawn = low + rng.random((size, cont.shape[1])) * (high - low)
            if missing_rate.any():
                drawn[rng.random(drawn.shape) < missing_rate] = np.nan
            new_codes = np.floor(rng.random((size, codes.shape[1])) * n_levels).astype(np.intp)
            yield part, drawn, new_codes


def is_generator(obj):
    """True for a transfer-set generator instance (has ``sample`` and params)."""
    return (
        not isinstance(obj, type)
        and callable(getattr(obj, "sample", None))
        and hasattr(obj, "get_params")
    )


__all__ = ["Munge", "GaussianNoise", "Mixup", "UniformBox"]
