"""SoftGaussianNB: GaussianNB equivalence, soft-target moments, API."""

import pickle

import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer, load_digits, load_iris, load_wine
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split
from sklearn.naive_bayes import GaussianNB
from sklearn.utils.estimator_checks import parametrize_with_checks

from skdistill import DistilledClassifier
from skdistill.students import SoftGaussianNB


@parametrize_with_checks([SoftGaussianNB(), SoftGaussianNB(var_smoothing=1e-3)])
def test_sklearn_compatible(estimator, check):
    check(estimator)


def _kl(p, q):
    p = np.clip(p, 1e-12, 1.0)
    q = np.clip(q, 1e-7, 1.0)
    return float(np.mean(np.sum(p * np.log(p / q), axis=1)))


# ---------------------------------------------------------------- behaviour
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("dataset", [load_iris, load_breast_cancer, load_digits])
def test_hard_labels_reproduce_gaussian_nb(dataset, weighted):
    X, y = dataset(return_X_y=True)
    w = np.random.RandomState(0).uniform(0, 3, len(y)) if weighted else None
    ours = SoftGaussianNB().fit(X, y, sample_weight=w)
    ref = GaussianNB().fit(X, y, sample_weight=w)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-8)
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))
    for name in ("theta_", "var_", "class_prior_", "class_count_"):
        np.testing.assert_allclose(getattr(ours, name), getattr(ref, name), rtol=1e-10)
    assert ours.epsilon_ == pytest.approx(ref.epsilon_)


def test_priors_match_gaussian_nb():
    X, y = load_iris(return_X_y=True)
    priors = [0.2, 0.3, 0.5]
    ours = SoftGaussianNB(priors=priors).fit(X, y)
    ref = GaussianNB(priors=priors).fit(X, y)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-8)
    np.testing.assert_allclose(ours.class_prior_, priors)


def test_true_posteriors_recover_the_mixture_components():
    """With the true posterior as soft targets, the weighted moments are the
    components' moments (E[p(k|x) x] / E[p(k|x)] = mu_k); the argmax labels
    of the same posterior give truncated, biased estimates."""
    rng = np.random.RandomState(0)
    n = 20000
    mu, sigma, prior = np.array([-1.0, 1.0]), np.array([1.0, 1.5]), np.array([0.4, 0.6])
    component = (rng.uniform(size=n) < prior[1]).astype(int)
    X = (mu[component] + sigma[component] * rng.normal(size=n)).reshape(-1, 1)
    density = prior * np.exp(-0.5 * ((X - mu) / sigma) ** 2) / sigma
    posterior = density / density.sum(axis=1, keepdims=True)

    soft = SoftGaussianNB().fit(X, posterior)
    np.testing.assert_allclose(soft.theta_.ravel(), mu, atol=0.05)
    np.testing.assert_allclose(np.sqrt(soft.var_.ravel()), sigma, atol=0.05)
    np.testing.assert_allclose(soft.class_prior_, prior, atol=0.02)
    # The fitted model is (nearly) the Bayes posterior itself. Measured mean
    # absolute error 0.002 (soft) vs 0.108 (argmax labels).
    assert np.abs(soft.predict_proba(X) - posterior).mean() < 0.01

    hard = SoftGaussianNB().fit(X, posterior.argmax(axis=1))
    assert np.abs(hard.theta_.ravel() - mu).min() > 0.2
    assert np.abs(hard.predict_proba(X) - posterior).mean() > 0.05


def test_soft_targets_bring_the_student_closer_to_the_teacher():
    X, y = load_wine(return_X_y=True)
    X_train, X_test, y_train, _ = train_test_split(X, y, test_size=0.5, random_state=0, stratify=y)
    teacher = RandomForestClassifier(
        n_estimators=100, min_samples_leaf=3, oob_score=True, random_state=0
    ).fit(X_train, y_train)
    teacher_test = teacher.predict_proba(X_test)
    soft = SoftGaussianNB().fit(X_train, teacher.oob_decision_function_)
    hard = SoftGaussianNB().fit(X_train, y_train)
    kl_soft = _kl(teacher_test, soft.predict_proba(X_test))
    kl_hard = _kl(teacher_test, hard.predict_proba(X_test))
    # Measured: 1.04 vs 1.69 (naive Bayes is overconfident either way).
    assert kl_soft < 0.75 * kl_hard


def test_class_without_target_mass_is_never_predicted():
    X, y = load_iris(return_X_y=True)
    P = np.zeros((len(y), 4))
    P[np.arange(len(y)), y] = 1.0  # column 3 has no mass
    nb = SoftGaussianNB().fit(X, P)
    assert nb.class_count_[3] == 0
    assert nb.class_prior_[3] == 0
    proba = nb.predict_proba(X)
    np.testing.assert_array_equal(proba[:, 3], 0.0)
    np.testing.assert_allclose(proba[:, :3], GaussianNB().fit(X, y).predict_proba(X), atol=1e-8)


def test_sample_weight_equals_repetition():
    X, y = load_iris(return_X_y=True)
    P = np.random.RandomState(1).dirichlet(np.ones(3), size=len(y))
    w = np.random.RandomState(0).randint(1, 4, len(y))
    weighted = SoftGaussianNB().fit(X, P, sample_weight=w)
    repeated = SoftGaussianNB().fit(np.repeat(X, w, axis=0), np.repeat(P, w, axis=0))
    np.testing.assert_allclose(weighted.theta_, repeated.theta_)
    # epsilon_ uses the unweighted variance of X, as in GaussianNB.
    np.testing.assert_allclose(
        weighted.var_ - weighted.epsilon_, repeated.var_ - repeated.epsilon_
    )


# ------------------------------------------------------- export / inspection
def test_to_sklearn_gives_identical_probabilities():
    X, y = load_breast_cancer(return_X_y=True)
    P = RandomForestClassifier(n_estimators=20, random_state=0).fit(X, y).predict_proba(X)
    nb = SoftGaussianNB().fit(X, P)
    sk = nb.to_sklearn()
    assert type(sk) is GaussianNB
    np.testing.assert_allclose(sk.predict_proba(X), nb.predict_proba(X), atol=1e-12)
    np.testing.assert_array_equal(sk.predict(X), nb.predict(X))
    sk.theta_[0, 0] = 1e6  # independent copies
    assert nb.theta_[0, 0] != 1e6


def test_pickle_round_trip():
    X, y = load_iris(return_X_y=True)
    nb = SoftGaussianNB().fit(X, y)
    clone = pickle.loads(pickle.dumps(nb))
    np.testing.assert_array_equal(clone.predict_proba(X), nb.predict_proba(X))


# ------------------------------------------------------------- bad inputs
@pytest.mark.parametrize(
    "params, error, match",
    [
        ({"var_smoothing": -1.0}, ValueError, "var_smoothing must be in the range"),
        ({"var_smoothing": "small"}, TypeError, "var_smoothing must be a real number"),
        ({"priors": [0.5, 0.5]}, ValueError, r"priors must have one entry per class \(3\)"),
        ({"priors": [0.5, 0.6, -0.1]}, ValueError, "priors must be finite and non-negative"),
        ({"priors": [0.5, 0.3, 0.3]}, ValueError, "priors must sum to 1"),
    ],
)
def test_bad_parameters_are_named(params, error, match):
    X, y = load_iris(return_X_y=True)
    with pytest.raises(error, match=match):
        SoftGaussianNB(**params).fit(X, y)


def test_constant_features_give_finite_probabilities():
    # Every feature constant: GaussianNB's epsilon is 0 and its probabilities
    # are all NaN; ours falls back to var_smoothing * 1 and returns the priors.
    X = np.full((4, 2), 5.0)
    nb = SoftGaussianNB().fit(X, [0, 1, 1, 1])
    assert nb.epsilon_ == 1e-9
    np.testing.assert_allclose(nb.var_, 1e-9)
    proba = nb.predict_proba([[5.0, 5.0], [5.0, 5.00001]])
    np.testing.assert_allclose(proba, [[0.25, 0.75]] * 2, rtol=1e-5)
    # The exported GaussianNB carries the same variances, so it is finite too.
    np.testing.assert_allclose(nb.to_sklearn().predict_proba(X), proba[[0] * 4])


def test_single_row_of_probabilities_gives_finite_probabilities():
    nb = SoftGaussianNB().fit([[1.0, 2.0]], [[0.3, 0.7]])
    np.testing.assert_allclose(nb.class_count_, [0.3, 0.7])
    np.testing.assert_allclose(nb.predict_proba([[1.0, 2.0]]), [[0.3, 0.7]])
    assert np.isfinite(nb.predict_log_proba([[1.0, 2.0], [1.5, 2.5]])).all()


def test_nonzero_widest_variance_keeps_gaussian_nb_epsilon():
    # One constant column next to a varying one: epsilon as GaussianNB's.
    X = np.array([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0], [1.0, 3.0]])
    y = [0, 0, 1, 1]
    ours, ref = SoftGaussianNB().fit(X, y), GaussianNB().fit(X, y)
    assert ours.epsilon_ == pytest.approx(ref.epsilon_) == pytest.approx(1.25e-9)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X))


def test_zero_smoothing_with_a_constant_feature_is_an_error():
    with pytest.raises(
        ValueError,
        match=r"var_smoothing=0 leaves feature 1 of class 0 "
        r"with a variance of 0",
    ):
        SoftGaussianNB(var_smoothing=0).fit([[0.0, 1.0], [1.0, 1.0], [2.0, 3.0]], [0, 0, 1])
    nb = SoftGaussianNB(var_smoothing=0).fit([[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1])
    np.testing.assert_allclose(nb.var_.ravel(), [0.25, 0.25])


# ---------------------------------------------------------- distillation
def test_native_student_of_distilled_classifier():
    X, y = load_breast_cancer(return_X_y=True)
    model = DistilledClassifier(
        RandomForestClassifier(n_estimators=20, random_state=0),
        SoftGaussianNB(),
        temperature=1.0,
        alpha=0.0,
        transfer=None,
        random_state=0,
    ).fit(X, y)
    assert model.student_fit_ == "native"
    np.testing.assert_array_equal(model.student_.classes_, [0, 1])
    assert model.score(X, y) > 0.9
    # Soft targets give fractional class counts.
    assert not np.allclose(model.student_.class_count_, np.bincount(y))
