"""Transfer-set generators: shapes, dtypes, determinism, statistics, bad input."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy import sparse
from sklearn.base import clone
from sklearn.neighbors import NearestNeighbors

from skdistill.transfer import AdversarialSampler, GaussianNoise, Mixup, Munge, UniformBox, _base
from skdistill.transfer._base import encode_table

GENERATORS = [Munge, GaussianNoise, Mixup, UniformBox]


@pytest.fixture(scope="module")
def mixed_X():
    """Three continuous columns, a 3-level integer column, a 0/1 column."""
    rng = np.random.RandomState(0)
    X = rng.normal(size=(300, 5))
    X[:, 3] = rng.randint(0, 3, 300) * 2.0 + 1.0  # levels {1, 3, 5}
    X[:, 4] = rng.randint(0, 2, 300)
    return X


# ----------------------------------------------------------- shape/dtype/seed
@pytest.mark.parametrize("Generator", GENERATORS)
def test_shape_dtype_and_determinism(Generator, mixed_X):
    X_before = mixed_X.copy()
    generator = Generator(size_factor=2.5, random_state=0)
    rows = generator.sample(mixed_X)
    assert rows.shape == (750, 5) and rows.dtype == np.float64
    assert_array_equal(mixed_X, X_before)  # input untouched
    assert_array_equal(rows, Generator(size_factor=2.5, random_state=0).sample(mixed_X))
    assert not np.array_equal(rows, Generator(size_factor=2.5, random_state=1).sample(mixed_X))
    # random_state given to sample overrides the generator's
    assert_array_equal(
        generator.sample(mixed_X, random_state=1),
        Generator(size_factor=2.5, random_state=1).sample(mixed_X),
    )
    assert generator.sample(mixed_X, n_samples=7).shape == (7, 5)
    assert Generator(n_samples=11, size_factor=100).sample(mixed_X).shape == (11, 5)
    assert np.all(np.isfinite(rows))
    # discrete columns only ever take observed levels
    assert set(np.unique(rows[:, 3])) <= {1.0, 3.0, 5.0}
    assert set(np.unique(rows[:, 4])) <= {0.0, 1.0}


@pytest.mark.parametrize("Generator", GENERATORS)
def test_dataframe_in_dataframe_out(Generator):
    pd = pytest.importorskip("pandas")
    rng = np.random.RandomState(0)
    frame = pd.DataFrame(
        {
            "x": rng.normal(size=80),
            "count": rng.randint(0, 60, 80),  # integer, many levels: continuous
            "grade": rng.randint(0, 4, 80),  # integer, few levels: discrete
            "flag": rng.rand(80) > 0.5,
            "colour": rng.choice(["red", "green", "blue"], 80),
            "small": rng.normal(size=80).astype(np.float32),
        }
    )
    rows = Generator(size_factor=3, random_state=0).sample(frame)
    assert isinstance(rows, pd.DataFrame)
    assert list(rows.columns) == list(frame.columns)
    assert list(rows.dtypes) == list(frame.dtypes)
    assert len(rows) == 240
    assert set(rows["colour"]) <= {"red", "green", "blue"}
    assert set(rows["grade"]) <= set(frame["grade"])
    assert set(rows["flag"]) <= {True, False}


def test_generator_params_are_clonable_and_untouched():
    munge = Munge(size_factor=5, p=0.2, s=2.0, categorical_features=[0], random_state=3)
    params = munge.get_params()
    munge.sample(np.random.RandomState(0).normal(size=(20, 3)))
    assert munge.get_params() == params
    assert clone(munge).get_params() == params
    assert not [a for a in vars(munge) if a.endswith("_")]


def test_generation_in_chunks(monkeypatch, mixed_X):
    monkeypatch.setattr(_base, "GENERATION_CHUNK", 64)
    for Generator in GENERATORS:
        rows = Generator(size_factor=1.7, random_state=0).sample(mixed_X)
        assert rows.shape == (510, 5)
        assert set(np.unique(rows[:, 4])) <= {0.0, 1.0}


def test_every_real_row_seeds_the_same_number_of_rows():
    rng = np.random.RandomState(0)
    rows = _base.base_rows(10, 35, rng)
    counts = np.bincount(rows, minlength=10)
    assert counts.sum() == 35 and counts.min() == 3 and counts.max() == 4


# ----------------------------------------------------------------- MUNGE
def _pairs(n_pairs=1000, n_features=5, seed=0):
    """Rows in far-apart pairs: each row's nearest neighbour is its partner."""
    rng = np.random.RandomState(seed)
    centres = np.arange(n_pairs)[:, None] * 100.0 + np.zeros((1, n_features))
    a = centres + rng.uniform(0, 1, (n_pairs, n_features))
    b = centres + rng.uniform(2, 3, (n_pairs, n_features))
    X = np.empty((2 * n_pairs, n_features))
    X[0::2], X[1::2] = a, b
    partner = np.arange(2 * n_pairs) ^ 1
    return X, partner


def test_munge_neighbours_are_the_nearest_other_rows(mixed_X):
    munge = Munge(categorical_features=None)
    table = encode_table(mixed_X, None, munge)
    neighbours = munge.nearest_neighbours(table)
    scaled = (mixed_X - mixed_X.min(0)) / (mixed_X.max(0) - mixed_X.min(0))
    distances = ((scaled[:, None, :] - scaled[None, :, :]) ** 2).sum(-1)
    np.fill_diagonal(distances, np.inf)
    assert_array_equal(neighbours, distances.argmin(axis=1))
    _, partner = _pairs(50)
    X, _ = _pairs(50)
    assert_array_equal(munge.nearest_neighbours(encode_table(X, None, munge)), partner)


def test_munge_uses_hamming_distance_on_discrete_columns():
    # Row 1's level (4) is numerically close to row 0's (5), but levels are
    # only "same or not": row 2, with the same level, is the neighbour.
    X = np.array([[0.0, 5.0], [0.05, 4.0], [0.3, 5.0], [1.0, 0.0]])
    as_numbers = Munge(categorical_features=None)
    assert as_numbers.nearest_neighbours(encode_table(X, None, as_numbers))[0] == 1
    munge = Munge(categorical_features=[1])
    assert munge.nearest_neighbours(encode_table(X, [1], munge))[0] == 2


@pytest.mark.parametrize("p", [0.1, 0.5, 0.8])
def test_munge_swaps_with_frequency_p(p):
    X, partner = _pairs()
    rows = Munge(size_factor=1, p=p, random_state=0, categorical_features=None).sample(X)
    changed = rows != X  # with size_factor=1 row i comes from real row i
    assert abs(changed.mean() - p) < 0.02
    # a swapped value is blurred around the partner's: far from the row's own
    moved = rows[changed] - X[partner][changed]
    assert np.all(np.abs(moved) < 30)


def test_munge_blur_has_sd_distance_over_s():
    X, partner = _pairs()
    s = 4.0
    rows = Munge(size_factor=1, p=1.0, s=s, random_state=0, categorical_features=None).sample(X)
    z = (rows - X[partner]) / (np.abs(X - X[partner]) / s)
    assert abs(z.mean()) < 0.03 and abs(z.std() - 1.0) < 0.03


def test_munge_p_zero_copies_and_discrete_columns_are_swapped_not_blurred(mixed_X):
    assert_array_equal(Munge(size_factor=1, p=0.0, random_state=0).sample(mixed_X), mixed_X)
    X, partner = _pairs(500, 4)
    # every row its own level: Hamming distance 1 to all, the continuous
    # columns still pick the partner (1000 levels: the sparse search path)
    X[:, 3] = np.arange(1000)
    rows = Munge(size_factor=1, p=0.5, categorical_features=[3], random_state=0).sample(X)
    own, other = rows[:, 3] == X[:, 3], rows[:, 3] == X[partner, 3]
    assert np.all(own | other)
    assert abs(other.mean() - 0.5) < 0.05


def test_munge_marginals_of_discrete_columns_stay_in_range(mixed_X):
    rows = Munge(size_factor=20, random_state=0).sample(mixed_X)
    for j in (3, 4):
        observed = np.unique(mixed_X[:, j])
        assert_array_equal(np.unique(rows[:, j]), observed)
        # level frequencies close to the data's (swaps are between real rows)
        real = np.array([np.mean(mixed_X[:, j] == v) for v in observed])
        made = np.array([np.mean(rows[:, j] == v) for v in observed])
        assert np.abs(real - made).max() < 0.05


def test_munge_searches_neighbours_once_per_data(monkeypatch, mixed_X):
    import pickle

    from skdistill.transfer import _generators

    fits = []

    class CountingNN(NearestNeighbors):
        def fit(self, X, y=None):
            fits.append(X.shape)
            return super().fit(X)

    monkeypatch.setattr(_generators, "NearestNeighbors", CountingNN)
    munge = Munge(size_factor=1)
    first = munge.sample(mixed_X, random_state=0)
    assert_array_equal(munge.sample(mixed_X, random_state=0), first)
    assert len(fits) == 1
    changed = mixed_X.copy()
    changed[0, 0] += 1.0
    munge.sample(changed)
    assert len(fits) == 2
    assert "_neighbour_cache" not in vars(pickle.loads(pickle.dumps(munge)))
    assert "_neighbour_cache" not in vars(clone(munge))


def test_munge_single_row_and_duplicates():
    X = np.array([[1.0, 2.0]])
    assert_array_equal(Munge(size_factor=3, random_state=0).sample(X), np.repeat(X, 3, 0))
    X = np.array([[1.0, 2.0], [1.0, 2.0], [5.0, 2.5]])
    rows = Munge(size_factor=10, random_state=0, categorical_features=None).sample(X)
    assert rows.shape == (30, 2) and np.all(np.isfinite(rows))


def test_auto_categorical_detection(mixed_X):
    table = encode_table(mixed_X, "auto", Munge())
    assert_array_equal(table.discrete_idx, [3, 4])
    assert_array_equal(encode_table(mixed_X, None, Munge()).discrete_idx, [])
    many_levels = np.arange(40, dtype=float)[:, None] % 20  # 20 integer levels
    assert_array_equal(encode_table(many_levels, "auto", Munge()).discrete_idx, [])
    mask = np.array([True, False, False, False, False])
    assert_array_equal(encode_table(mixed_X, mask, Munge()).discrete_idx, [0])


# ---------------------------------------------------- noise, mixup, uniform
def test_gaussian_noise_scale():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(2000, 3)) * [1.0, 10.0, 0.1]
    rows = GaussianNoise(size_factor=1, scale=0.2, random_state=0).sample(X)
    noise = rows - X  # size_factor=1: row i from real row i
    assert_allclose(noise.std(axis=0) / X.std(axis=0), 0.2, rtol=0.05)
    assert np.all(np.abs(noise.mean(axis=0)) < 0.02 * X.std(axis=0) * 3)
    assert_array_equal(GaussianNoise(size_factor=1, scale=0.0).sample(X), X)


def test_gaussian_noise_keeps_discrete_values(mixed_X):
    rows = GaussianNoise(size_factor=1, scale=1.0, random_state=0).sample(mixed_X)
    assert_array_equal(rows[:, 3:], mixed_X[:, 3:])
    assert not np.array_equal(rows[:, :3], mixed_X[:, :3])


def test_mixup_on_segments_and_alpha():
    X = np.array([[0.0, 0.0], [1.0, 2.0]])
    rows = Mixup(n_samples=4000, alpha=1.0, categorical_features=None, random_state=0).sample(X)
    assert_allclose(rows[:, 1], 2 * rows[:, 0])  # on the segment
    assert rows.min() >= 0 and rows[:, 0].max() <= 1
    # pairs of distinct rows with lam ~ U(0, 1): positions spread evenly
    mixed = rows[(rows[:, 0] > 0) & (rows[:, 0] < 1)][:, 0]
    assert abs(mixed.mean() - 0.5) < 0.03
    peaked = Mixup(n_samples=4000, alpha=0.05, categorical_features=None, random_state=0).sample(
        X
    )[:, 0]
    # small alpha keeps rows near an end of the segment
    assert np.mean((peaked < 0.05) | (peaked > 0.95)) > 0.8


def test_uniform_box_stays_in_ranges_and_is_uniform(mixed_X):
    rows = UniformBox(size_factor=20, random_state=0).sample(mixed_X)
    low, high = mixed_X.min(axis=0), mixed_X.max(axis=0)
    assert np.all(rows >= low) and np.all(rows <= high)
    assert_allclose(
        rows[:, :3].mean(axis=0), (low[:3] + high[:3]) / 2, atol=0.03 * (high - low).max()
    )
    for j, levels in ((3, [1.0, 3.0, 5.0]), (4, [0.0, 1.0])):
        freq = np.array([np.mean(rows[:, j] == v) for v in levels])
        assert_allclose(freq, 1 / len(levels), atol=0.02)


# -------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    "Generator, params, error, match",
    [
        (Munge, {"size_factor": 0}, ValueError, r"size_factor must be in the range \(0"),
        (Munge, {"size_factor": -2.0}, ValueError, "size_factor"),
        (Mixup, {"n_samples": 0}, ValueError, r"n_samples must be in the range \[1"),
        (UniformBox, {"n_samples": 2.5}, TypeError, "n_samples must be an int"),
        (Munge, {"p": 1.5}, ValueError, r"p must be in the range \[0, 1\], got 1.5"),
        (Munge, {"p": -0.1}, ValueError, r"p must be in the range \[0, 1\]"),
        (Munge, {"s": 0}, ValueError, r"s must be in the range \(0"),
        (Munge, {"n_jobs": 0}, ValueError, "n_jobs"),
        (GaussianNoise, {"scale": -1}, ValueError, "scale must be in the range"),
        (Mixup, {"alpha": 0}, ValueError, r"alpha must be in the range \(0"),
        (Munge, {"categorical_features": [7]}, ValueError, "categorical_features has indices"),
        (Munge, {"categorical_features": "all"}, ValueError, "categorical_features must be"),
        (Munge, {"categorical_features": ["a"]}, ValueError, "X is not a DataFrame"),
        (Munge, {"categorical_features": [True, False]}, ValueError, "one entry per column"),
        (Munge, {"random_state": "seed"}, TypeError, "random_state"),
    ],
)
def test_bad_parameters(Generator, params, error, match, mixed_X):
    with pytest.raises(error, match=match):
        Generator(**params).sample(mixed_X)


@pytest.mark.parametrize("Generator", GENERATORS)
def test_bad_data(Generator, mixed_X):
    with pytest.raises(TypeError, match=f"{Generator.__name__} needs dense X.*sparse"):
        Generator().sample(sparse.csr_matrix(mixed_X))
    X_inf = mixed_X.copy()
    X_inf[0, 0] = np.inf
    with pytest.raises(ValueError, match="infinity"):
        Generator().sample(X_inf)
    with pytest.raises(ValueError, match="0 sample"):
        Generator().sample(mixed_X[:0])
    with pytest.raises(ValueError, match="2D array"):
        Generator().sample(mixed_X[:, 0])
    with pytest.raises(ValueError, match="n_samples"):
        Generator().sample(mixed_X, n_samples=-1)


@pytest.mark.parametrize("Generator", GENERATORS)
def test_huge_transfer_set_is_refused_before_drawing(Generator, mixed_X):
    # Before: a MemoryError (or swapping) from inside numpy.
    with pytest.raises(
        ValueError,
        match=(
            rf"{Generator.__name__} would draw 300000000000000 rows x 5 columns "
            r"\(size_factor=1e\+12 x 300 rows of X\), 10\.7 PiB as float64: over the "
            r"4 GiB limit on a transfer set\. Ask for at most 107374182 rows "
            r"\(size_factor <= 357914 for these 300 rows\)"
        ),
    ):
        Generator(size_factor=1e12).sample(mixed_X)
    with pytest.raises(
        ValueError,
        match=r"would draw 10000000000000000000000 rows .*"
        r"\(n_samples=10000000000000000000000\)",
    ):
        Generator().sample(mixed_X, n_samples=10**22)
    with pytest.raises(ValueError, match=r"would draw infinitely many rows"):
        Generator(size_factor=1e308).sample(mixed_X)


def test_transfer_size_limit_is_rows_times_columns_times_8(monkeypatch, mixed_X):
    monkeypatch.setattr(_base, "MAX_TRANSFER_BYTES", 1000 * 5 * 8)
    assert Munge(n_samples=1000, random_state=0).sample(mixed_X).shape == (1000, 5)
    with pytest.raises(
        ValueError,
        match=r"would draw 1001 rows x 5 columns \(n_samples="
        r"1001\), 39\.1 KiB .* at most 1000 rows",
    ):
        Munge(n_samples=1001).sample(mixed_X)
    assert GaussianNoise(size_factor=1000 / 300).sample(mixed_X).shape == (1000, 5)
    with pytest.raises(ValueError, match=r"size_factor <= 3\.33333 for these 300 rows"):
        GaussianNoise(size_factor=3.5).sample(mixed_X)


def test_dataframe_inf_and_unknown_names():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"a": [1.0, np.inf, 2.0], "b": [1.0, 2.0, 3.0]})
    with pytest.raises(ValueError, match="column 'a' contains infinity"):
        Munge().sample(frame)
    with pytest.raises(ValueError, match="does not have: \\['zzz'\\]"):
        Munge(categorical_features=["zzz"]).sample(frame.fillna(0))


# --------------------------------------------------------- missing values
@pytest.fixture(scope="module")
def X_missing():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(1000, 3))
    X[rng.rand(1000) < 0.2, 0] = np.nan
    return X


def test_munge_missing_values(X_missing):
    X = X_missing
    assert_array_equal(Munge(size_factor=1, p=0.0).sample(X), X)  # NaN copied
    munge = Munge(size_factor=1, p=0.5, random_state=0, categorical_features=None)
    rows = munge.sample(X)
    neighbours = munge.nearest_neighbours(encode_table(X, None, munge))
    # a value is missing only if the row's or its neighbour's was
    new_missing = np.isnan(rows[:, 0])
    assert np.all(np.isnan(X[:, 0]) | np.isnan(X[neighbours, 0]) | ~new_missing)
    assert abs(new_missing.mean() - np.isnan(X[:, 0]).mean()) < 0.05
    assert np.all(np.isfinite(rows[:, 1:]))


def test_other_generators_missing_values(X_missing):
    X = X_missing
    missing = np.isnan(X[:, 0])
    noisy = GaussianNoise(size_factor=1, random_state=0).sample(X)
    assert_array_equal(np.isnan(noisy[:, 0]), missing)  # missing stays missing
    assert np.all(np.isfinite(noisy[~missing]))
    mixed = Mixup(size_factor=1, random_state=0, categorical_features=None).sample(X)
    assert_array_equal(np.isnan(mixed[:, 0]), missing)  # keeps a's missing entries
    box = UniformBox(size_factor=20, random_state=0).sample(X)
    assert abs(np.isnan(box[:, 0]).mean() - missing.mean()) < 0.02
    assert np.nanmin(box[:, 0]) >= np.nanmin(X[:, 0])
    assert np.nanmax(box[:, 0]) <= np.nanmax(X[:, 0])


# ------------------------------------------------------ adversarial sampler
def test_disagreement_scores():
    sampler = AdversarialSampler()
    teacher = np.array([[0.7, 0.3], [0.5, 0.5], [0.1, 0.9]])
    student = np.array([[0.7, 0.3], [0.9, 0.1], [0.2, 0.8]])
    kl = sampler.disagreement_scores(teacher, student)
    expected = np.sum(teacher * np.log(teacher / student), axis=1)
    assert_allclose(kl, expected)
    assert kl[0] == 0 and kl.argmax() == 1
    l1 = AdversarialSampler(disagreement="l1").disagreement_scores(teacher, student)
    assert_allclose(l1, [0.0, 0.8, 0.2])
    # a one-hot student stays finite (probabilities clipped before the log)
    assert np.all(np.isfinite(sampler.disagreement_scores(teacher, np.eye(2)[[0, 0, 1]])))
    assert_allclose(sampler.regression_scores([1.0, 2.0], [1.5, 2.0]), [0.25, 0.0])
    assert_array_equal(sampler.most_disputed([0.1, 0.5, 0.5, 0.0], 2), [1, 2])
    with pytest.raises(ValueError, match="same shape"):
        sampler.disagreement_scores(teacher, student[:2])


def test_adversarial_sampler_sizes_and_candidates(mixed_X):
    sampler = AdversarialSampler(size_factor=0.5, n_validation=123)
    assert sampler.rows_per_round(300) == 150
    assert AdversarialSampler(n_samples=17).rows_per_round(300) == 17
    assert sampler.validation_size(300) == 123
    assert AdversarialSampler().validation_size(300) == 1000
    rows = AdversarialSampler(GaussianNoise(scale=0.5)).sample_candidates(
        mixed_X, 40, random_state=0
    )
    assert rows.shape == (40, 5)


@pytest.mark.parametrize(
    "params, error, match",
    [
        ({"generator": "munge"}, TypeError, "generator must be None or a transfer-set"),
        ({"candidate_factor": 0.5}, ValueError, "candidate_factor"),
        ({"disagreement": "js"}, ValueError, "disagreement must be one of"),
        ({"size_factor": 0}, ValueError, "size_factor"),
        ({"n_validation": 0}, ValueError, "n_validation"),
        ({"tol": -1}, ValueError, "tol"),
        ({"generator": Munge(p=2)}, ValueError, "p must be"),
    ],
)
def test_adversarial_sampler_bad_parameters(params, error, match):
    with pytest.raises(error, match=match):
        AdversarialSampler(**params).check_params()


def test_munge_matches_sklearn_nearest_neighbors_on_real_data():
    from sklearn.datasets import load_iris

    X = load_iris().data
    munge = Munge(categorical_features=None)
    table = encode_table(X, None, munge)
    scaled = (X - X.min(0)) / (X.max(0) - X.min(0))
    expected = NearestNeighbors(n_neighbors=2).fit(scaled).kneighbors(scaled)[0][:, 1]
    found = munge.nearest_neighbours(table)
    assert_allclose(np.linalg.norm(scaled - scaled[found], axis=1), expected)
