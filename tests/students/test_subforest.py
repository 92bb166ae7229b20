"""SubForestClassifier / SubForestRegressor: selection, refit, export, protocol."""

import pickle
import warnings
from copy import deepcopy

import numpy as np
import pytest
from scipy.optimize import minimize
from scipy.special import softmax
from sklearn.base import clone
from sklearn.datasets import make_classification, make_regression
from sklearn.ensemble import (
    ExtraTreesClassifier,
    ExtraTreesRegressor,
    GradientBoostingClassifier,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from skdistill import DistilledClassifier, DistilledRegressor
from skdistill.export import export_student
from skdistill.students import SubForestClassifier, SubForestRegressor
from skdistill.students import _subforest_solve as solve


@pytest.fixture(scope="module")
def clf_data():
    X, y = make_classification(400, 6, n_informative=4, n_redundant=0, n_classes=3, random_state=0)
    teacher = RandomForestClassifier(n_estimators=25, max_depth=5, random_state=0).fit(X, y)
    return X, y, teacher


@pytest.fixture(scope="module")
def reg_data():
    X, y = make_regression(300, 5, noise=5.0, random_state=0)
    teacher = RandomForestRegressor(n_estimators=20, max_depth=5, random_state=0).fit(X, y)
    return X, y, teacher


def _tree_mean(trees, X, proba=True):
    out = [t.predict_proba(X) if proba else t.predict(X) for t in trees]
    return np.sum(out, axis=0) / len(out)


# ------------------------------------------------------------ selection
def test_greedy_selection_takes_the_good_trees_among_noise_trees():
    X, y = make_classification(300, 5, n_informative=3, n_redundant=0, random_state=1)
    good = RandomForestClassifier(n_estimators=3, max_depth=4, random_state=0).fit(X, y)
    shuffled = np.random.RandomState(0).permutation(y)
    noise = RandomForestClassifier(n_estimators=9, max_depth=4, random_state=0).fit(X, shuffled)
    teacher = deepcopy(noise)
    trees = list(noise.estimators_)
    good_at = [2, 6, 10]
    for position, tree in zip(good_at, good.estimators_):
        trees.insert(position, tree)
    teacher.estimators_, teacher.n_estimators = trees, len(trees)
    targets = good.predict_proba(X)
    student = SubForestClassifier(3, teacher_weight=1.0).fit(X, targets, teacher=teacher)
    assert sorted(student.estimators_indices_) == good_at
    # The three good trees average to the targets exactly: zero excess loss.
    entropy = -np.sum(targets * np.log(np.clip(targets, 1e-12, 1)), axis=1).mean()
    assert student.selection_loss_[-1] == pytest.approx(entropy, abs=1e-9)


def test_greedy_select_regression_loss_is_the_mean_squared_error():
    outputs = np.array([[0.0, 0.0], [1.0, 3.0], [1.0, 1.0]])
    chosen, losses = solve.greedy_select(outputs, np.array([1.0, 2.0]), np.ones(2), 2, False)
    # Tree 1 alone: (0 + 1) / 2; then tree 2: mean (1, 2) -> the targets.
    assert chosen.tolist() == [1, 2]
    assert losses == pytest.approx([0.5, 0.0])


# ------------------------------------------------------------ lambda = 1
def test_teacher_weight_one_is_the_teachers_own_trees(clf_data):
    X, _, teacher = clf_data
    student = SubForestClassifier(6, teacher_weight=1.0).fit(
        X, teacher.predict_proba(X), teacher=teacher
    )
    trees = [teacher.estimators_[i] for i in student.estimators_indices_]
    np.testing.assert_allclose(student.predict_proba(X), _tree_mean(trees, X), atol=1e-12)
    assert student.n_iter_ == 0
    assert len(set(student.estimators_indices_.tolist())) == 6


def test_teacher_weight_one_regressor(reg_data):
    X, _, teacher = reg_data
    student = SubForestRegressor(4, teacher_weight=1.0).fit(X, teacher.predict(X), teacher=teacher)
    trees = [teacher.estimators_[i] for i in student.estimators_indices_]
    np.testing.assert_allclose(student.predict(X), _tree_mean(trees, X, False), atol=1e-9)


def test_fit_leaves_teacher_and_inputs_unchanged(clf_data):
    X, _, teacher = clf_data
    targets = teacher.predict_proba(X)
    before = [t.tree_.value.copy() for t in teacher.estimators_]
    X_copy, targets_copy = X.copy(), targets.copy()
    SubForestClassifier(5).fit(X, targets, teacher=teacher)
    for tree, value in zip(teacher.estimators_, before):
        np.testing.assert_array_equal(tree.tree_.value, value)
    np.testing.assert_array_equal(X, X_copy)
    np.testing.assert_array_equal(targets, targets_copy)


# ------------------------------------------------------------ lambda = 0
def _leaf_problem(student, teacher, X, classification=True):
    trees = [teacher.estimators_[i] for i in student.estimators_indices_]
    values = [
        t.tree_.value[:, 0, :] / t.tree_.value[:, 0, :].sum(axis=1, keepdims=True)
        if classification
        else t.tree_.value[:, 0, 0]
        for t in trees
    ]
    offsets = np.cumsum([0] + [len(v) for v in values[:-1]])
    leaves = np.column_stack([t.apply(X.astype(np.float32)) for t in trees]) + offsets
    return np.concatenate(values), leaves


def test_free_refit_regressor_equals_the_dense_ridge_solution(reg_data):
    X, _, teacher = reg_data
    y = teacher.predict(X)
    weights = np.random.RandomState(0).uniform(0.5, 2.0, len(y))
    mu = 2.0
    student = SubForestRegressor(3, leaf_penalty=mu).fit(
        X, y, sample_weight=weights, teacher=teacher
    )
    anchor, leaves = _leaf_problem(student, teacher, X, classification=False)
    k = leaves.shape[1]
    design = np.zeros((len(y), len(anchor)))
    for t in range(k):
        design[np.arange(len(y)), leaves[:, t]] += 1.0 / k
    lhs = design.T @ (weights[:, None] * design) + (mu / k) * np.eye(len(anchor))
    rhs = design.T @ (weights * (y - design @ anchor))
    expected = design @ (anchor + np.linalg.solve(lhs, rhs))
    np.testing.assert_allclose(student.predict(X), expected, rtol=1e-7, atol=1e-6)


def test_free_refit_classifier_reaches_the_independent_optimum():
    X, y = make_classification(80, 4, n_informative=3, n_redundant=0, n_classes=3, random_state=2)
    teacher = RandomForestClassifier(n_estimators=4, max_depth=2, random_state=0).fit(X, y)
    targets = softmax(np.random.RandomState(1).normal(size=(80, 3)), axis=1)
    mu = 0.5
    student = SubForestClassifier(2, leaf_penalty=mu, max_iter=5000, tol=1e-13).fit(
        X, targets, teacher=teacher
    )
    anchor, leaves = _leaf_problem(student, teacher, X)
    weights = np.ones(len(X))

    def objective(theta):
        values = softmax(theta.reshape(anchor.shape), axis=1)
        return solve.proba_objective(values, anchor, leaves, targets, weights, mu)

    best = minimize(objective, np.log(anchor + 0.1).ravel(), method="L-BFGS-B", tol=1e-14)
    expected = softmax(best.x.reshape(anchor.shape), axis=1)[leaves].mean(axis=1)
    np.testing.assert_allclose(student.predict_proba(X), expected, atol=2e-4)
    refit_value = solve.proba_objective(
        _values_of(student, anchor), anchor, leaves, targets, weights, mu
    )
    assert refit_value <= best.fun + 1e-7


def _values_of(student, anchor):
    """The student's leaf rows, stacked as in the solver."""
    return np.concatenate([t.tree_.value[:, 0, :] for t in student.forest_.estimators_]).reshape(
        anchor.shape
    )


def test_teacher_weight_interpolates_the_leaf_values(clf_data):
    X, _, teacher = clf_data
    targets = teacher.predict_proba(X)
    fits = {
        lam: SubForestClassifier(4, teacher_weight=lam, leaf_penalty=1.0).fit(
            X, targets, teacher=teacher
        )
        for lam in (0.0, 0.3, 1.0)
    }
    expected = 0.3 * fits[1.0].predict_proba(X) + 0.7 * fits[0.0].predict_proba(X)
    np.testing.assert_allclose(fits[0.3].predict_proba(X), expected, atol=1e-12)


def test_refit_matches_the_targets_better_than_the_teachers_values(clf_data):
    X, _, teacher = clf_data
    targets = teacher.predict_proba(X)
    kl = {}
    for lam in (0.0, 1.0):
        proba = (
            SubForestClassifier(3, teacher_weight=lam)
            .fit(X, targets, teacher=teacher)
            .predict_proba(X)
        )
        kl[lam] = np.sum(targets * np.log(np.clip(targets, 1e-12, 1) / np.clip(proba, 1e-12, 1)))
    assert kl[0.0] < 0.8 * kl[1.0]


def test_large_penalty_keeps_the_teachers_values(clf_data):
    X, _, teacher = clf_data
    targets = teacher.predict_proba(X)
    own = SubForestClassifier(4, teacher_weight=1.0).fit(X, targets, teacher=teacher)
    pulled = SubForestClassifier(4, leaf_penalty=1e7).fit(X, targets, teacher=teacher)
    np.testing.assert_allclose(pulled.predict_proba(X), own.predict_proba(X), atol=1e-4)


def test_fidelity_grows_with_the_number_of_trees():
    X, y = make_classification(1200, 8, n_informative=5, random_state=3)
    teacher = RandomForestClassifier(n_estimators=60, random_state=0).fit(X[:600], y[:600])
    targets = teacher.predict_proba(X[:600])
    reference = teacher.predict(X[600:])
    fidelity = [
        np.mean(
            SubForestClassifier(k).fit(X[:600], targets, teacher=teacher).predict(X[600:])
            == reference
        )
        for k in (1, 3, 9, 27)
    ]
    assert fidelity == sorted(fidelity) and fidelity[-1] > fidelity[0] + 0.03


# ------------------------------------------------------------ export
@pytest.mark.parametrize("Forest", [RandomForestClassifier, ExtraTreesClassifier])
def test_to_sklearn_is_a_plain_forest_with_equal_predictions(clf_data, Forest):
    X, y, _ = clf_data
    teacher = Forest(n_estimators=15, max_depth=6, random_state=0).fit(X, y)
    student = SubForestClassifier(5).fit(X, teacher.predict_proba(X), teacher=teacher)
    plain = student.to_sklearn()
    assert type(plain) is Forest and len(plain.estimators_) == 5
    np.testing.assert_allclose(plain.predict_proba(X), student.predict_proba(X), atol=1e-12)
    np.testing.assert_array_equal(plain.predict(X), student.predict(X))
    pickle.loads(pickle.dumps(plain)).predict(X)


@pytest.mark.parametrize("Forest", [RandomForestRegressor, ExtraTreesRegressor])
def test_regressor_export(reg_data, Forest):
    X, y, _ = reg_data
    teacher = Forest(n_estimators=10, max_depth=5, random_state=0).fit(X, y)
    student = SubForestRegressor(3).fit(X, teacher.predict(X), teacher=teacher)
    plain = student.to_sklearn()
    assert type(plain) is Forest
    np.testing.assert_allclose(plain.predict(X), student.predict(X), rtol=1e-12, atol=1e-12)


def test_feature_names_follow_to_the_export(clf_data):
    pd = pytest.importorskip("pandas")
    X, y, _ = clf_data
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    teacher = RandomForestClassifier(n_estimators=8, max_depth=4, random_state=0).fit(frame, y)
    student = SubForestClassifier(3).fit(frame, y, teacher=teacher)
    assert list(student.to_sklearn().feature_names_in_) == list(frame.columns)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        student.predict(frame)


# ------------------------------------------------------------ distilled
def test_distilled_classifier_passes_its_teacher_and_exports_a_forest(clf_data):
    X, y, _ = clf_data
    labels = np.array(["ant", "bee", "cat"])[y]
    model = DistilledClassifier(
        RandomForestClassifier(n_estimators=20, max_depth=5, random_state=0),
        SubForestClassifier(4),
        temperature=1.0,
        alpha=0.0,
        transfer=None,
        random_state=0,
    ).fit(X, labels)
    assert model.student_fit_ == "native"
    chosen = model.student_.estimators_indices_
    for tree, index in zip(model.student_.forest_.estimators_, chosen):
        np.testing.assert_array_equal(
            tree.tree_.threshold, model.teacher_.estimators_[index].tree_.threshold
        )
    plain = export_student(model)
    assert isinstance(plain, RandomForestClassifier)
    assert plain.classes_.tolist() == ["ant", "bee", "cat"]
    np.testing.assert_array_equal(plain.predict(X), model.predict(X))
    np.testing.assert_allclose(plain.predict_proba(X), model.predict_proba(X), atol=1e-12)


def test_frozen_teacher_and_out_of_fold_targets(clf_data):
    X, y, teacher = clf_data
    frozen = DistilledClassifier(
        FrozenEstimator(teacher),
        SubForestClassifier(5, teacher_weight=1.0),
        temperature=1.0,
        alpha=0.0,
        transfer=None,
    ).fit(X, y)
    trees = [teacher.estimators_[i] for i in frozen.student_.estimators_indices_]
    np.testing.assert_allclose(frozen.predict_proba(X), _tree_mean(trees, X), atol=1e-12)
    oof = DistilledClassifier(
        RandomForestClassifier(n_estimators=15, max_depth=5, random_state=0),
        SubForestClassifier(5),
        teacher_targets="oof",
        cv=3,
        temperature=1.0,
        alpha=0.0,
        transfer=None,
        random_state=0,
    ).fit(X, y)
    # The student is made of the final teacher's trees (refitted on all rows).
    first = oof.student_.estimators_indices_[0]
    np.testing.assert_array_equal(
        oof.student_.forest_.estimators_[0].tree_.feature,
        oof.teacher_.estimators_[first].tree_.feature,
    )
    assert np.mean(oof.predict(X) == oof.teacher_.predict(X)) > 0.85


def test_auto_tuning_fits_with_the_fold_teachers(clf_data):
    X, y, _ = clf_data
    model = DistilledClassifier(
        RandomForestClassifier(n_estimators=10, max_depth=4, random_state=0),
        SubForestClassifier(3),
        transfer=None,
        random_state=0,
    ).fit(X, y)
    assert model.tuned_params_ and len(model.tune_results_) >= 2


def test_temperature_above_one_exports_with_a_warning(clf_data):
    X, y, _ = clf_data
    model = DistilledClassifier(
        RandomForestClassifier(n_estimators=10, max_depth=4, random_state=0),
        SubForestClassifier(3),
        temperature=2.0,
        alpha=0.0,
        transfer=None,
        random_state=0,
    ).fit(X, y)
    with pytest.warns(UserWarning, match="training temperature"):
        plain = export_student(model)
    np.testing.assert_array_equal(plain.predict(X), model.predict(X))


def test_distilled_regressor(reg_data):
    X, y, _ = reg_data
    model = DistilledRegressor(
        RandomForestRegressor(n_estimators=15, max_depth=5, random_state=0),
        SubForestRegressor(4),
        alpha=0.0,
        transfer=None,
        random_state=0,
    ).fit(X, y)
    plain = export_student(model)
    assert isinstance(plain, RandomForestRegressor)
    np.testing.assert_allclose(plain.predict(X), model.predict(X), atol=1e-12)


def test_protocol_errors_in_the_meta_estimator(clf_data):
    X, y, _ = clf_data
    base = DistilledClassifier(
        RandomForestClassifier(n_estimators=10, max_depth=4, random_state=0),
        SubForestClassifier(3),
        temperature=1.0,
        alpha=0.0,
        transfer=None,
        random_state=0,
    )
    with pytest.raises(ValueError, match="feature_budget"):
        clone(base).set_params(feature_budget=2).fit(X, y)
    with pytest.raises(ValueError, match="student_fit='native'"):
        clone(base).set_params(student_fit="hard").fit(X, y)
    with pytest.raises(TypeError, match="RandomForestClassifier or ExtraTreesClassifier"):
        clone(base).set_params(teacher=LogisticRegression()).fit(X, y)


# ------------------------------------------------------------ API
def test_clone_pickle_and_reproducible_subsampling(clf_data):
    X, _, teacher = clf_data
    targets = teacher.predict_proba(X)
    student = SubForestClassifier(4, max_samples=0.5, random_state=3)
    assert clone(student).get_params() == student.get_params()
    a = clone(student).fit(X, targets, teacher=teacher)
    b = clone(student).fit(X, targets, teacher=teacher)
    np.testing.assert_array_equal(a.estimators_indices_, b.estimators_indices_)
    np.testing.assert_array_equal(a.predict_proba(X), b.predict_proba(X))
    restored = pickle.loads(pickle.dumps(a))
    np.testing.assert_array_equal(restored.predict_proba(X), a.predict_proba(X))
    assert a.classes_.tolist() == [0, 1, 2]


def test_labels_fit_uses_the_teachers_classes(clf_data):
    X, y, teacher = clf_data
    student = SubForestClassifier(3).fit(X, y, teacher=teacher)
    assert student.classes_.tolist() == [0, 1, 2]
    assert np.mean(student.predict(X) == y) > 0.8


@pytest.mark.parametrize(
    "teacher, error, match",
    [
        (None, ValueError, "needs the fitted teacher"),
        (LogisticRegression(), TypeError, "got LogisticRegression"),
        (GradientBoostingClassifier(), TypeError, "got GradientBoostingClassifier"),
        (make_pipeline(StandardScaler(), RandomForestClassifier()), TypeError, "Pipeline"),
        (RandomForestClassifier(), ValueError, "must be fitted"),
        (RandomForestRegressor(), TypeError, "got RandomForestRegressor"),
    ],
)
def test_bad_teachers(clf_data, teacher, error, match):
    X, y, _ = clf_data
    with pytest.raises(error, match=match):
        SubForestClassifier(2).fit(X, y, teacher=teacher)


def test_bad_shapes_and_classes(clf_data, reg_data):
    X, y, teacher = clf_data
    with pytest.raises(ValueError, match="larger than the teacher's 25 trees"):
        SubForestClassifier(26).fit(X, y, teacher=teacher)
    with pytest.raises(ValueError, match="teacher was fitted on 6"):
        SubForestClassifier(2).fit(X[:, :4], y, teacher=teacher)
    with pytest.raises(ValueError, match="must be the teacher's classes_"):
        SubForestClassifier(2).fit(X, y + 1, teacher=teacher)
    with pytest.raises(ValueError, match="2 probability columns"):
        SubForestClassifier(2).fit(X, np.full((len(y), 2), 0.5), teacher=teacher)
    Xr, yr, reg_teacher = reg_data
    multi = RandomForestRegressor(n_estimators=3, random_state=0).fit(Xr, np.c_[yr, yr])
    with pytest.raises(ValueError, match="single output"):
        SubForestRegressor(2).fit(Xr, yr, teacher=multi)
    with pytest.raises(ValueError, match="finite"):
        SubForestRegressor(2).fit(Xr, np.full(len(yr), np.nan), teacher=reg_teacher)


@pytest.mark.parametrize(
    "params, error, match",
    [
        ({"n_estimators": 0}, ValueError, "n_estimators"),
        ({"n_estimators": 2.0}, TypeError, "n_estimators"),
        ({"teacher_weight": 1.5}, ValueError, "teacher_weight"),
        ({"leaf_penalty": -1.0}, ValueError, "leaf_penalty"),
        ({"max_samples": 0.0}, ValueError, "max_samples"),
        ({"max_samples": 0}, ValueError, "max_samples"),
        ({"max_samples": "all"}, TypeError, "max_samples"),
        ({"max_iter": 0}, ValueError, "max_iter"),
        ({"tol": -1.0}, ValueError, "tol"),
    ],
)
def test_bad_parameters(clf_data, params, error, match):
    X, y, teacher = clf_data
    with pytest.raises(error, match=match):
        SubForestClassifier(**{"n_estimators": 2, **params}).fit(X, y, teacher=teacher)


# ------------------------------------------------------------ sklearn checks
# The student itself needs a teacher in fit, which scikit-learn's checks do
# not pass, so the checks run on the meta-estimators that pass it.
@parametrize_with_checks(
    [
        DistilledClassifier(
            RandomForestClassifier(n_estimators=8, random_state=0),
            SubForestClassifier(3),
            temperature=1.0,
            alpha=0.0,
            transfer=None,
            teacher_targets="in_sample",
        ),
        DistilledRegressor(
            RandomForestRegressor(n_estimators=8, random_state=0),
            SubForestRegressor(3),
            alpha=0.0,
            transfer=None,
            teacher_targets="in_sample",
        ),
    ],
    expected_failed_checks=lambda est: {
        name: "the teacher forest's bootstrap samples differ when a row is "
        "repeated instead of weighted (as for scikit-learn's own forests)"
        for name in (
            "check_sample_weight_equivalence_on_dense_data",
            "check_sample_weight_equivalence_on_sparse_data",
        )
    },
)
def test_sklearn_compatible_inside_the_meta_estimators(estimator, check):
    check(estimator)


def test_onnx_export_of_a_distilled_sub_forest(clf_data):
    pytest.importorskip("skl2onnx")
    rt = pytest.importorskip("onnxruntime")
    from skdistill.export import to_onnx

    X, y, _ = clf_data
    model = DistilledClassifier(
        RandomForestClassifier(n_estimators=10, max_depth=5, random_state=0),
        SubForestClassifier(3),
        temperature=1.0,
        alpha=0.0,
        transfer=None,
        random_state=0,
    ).fit(X, y)
    session = rt.InferenceSession(to_onnx(model, X[:5]).SerializeToString())
    labels, proba = session.run(None, {"X": X.astype(np.float32)})
    np.testing.assert_array_equal(labels, model.predict(X))
    # ONNX trees run in float32.
    np.testing.assert_allclose(proba, model.predict_proba(X), atol=1e-5)


def test_command_line_distils_a_forest_file_into_a_sub_forest(tmp_path):
    import os
    import subprocess
    import sys
    import tempfile

    sio = pytest.importorskip("skops.io")
    pd = pytest.importorskip("pandas")
    X, y = make_classification(300, 4, n_informative=3, n_redundant=0, random_state=0)
    frame = pd.DataFrame(X, columns=["a", "b", "c", "d"]).assign(label=y)
    frame.to_csv(tmp_path / "train.csv", index=False)
    forest = RandomForestClassifier(n_estimators=12, random_state=0).fit(frame[list("abcd")], y)
    sio.dump(forest, tmp_path / "forest.skops")
    out = tmp_path / "student.skops"
    args = ["distill", "--teacher", tmp_path / "forest.skops", "--data", tmp_path / "train.csv"]
    args += ["--target", "label", "--student", "subforest:n_estimators=4", "--temperature"]
    args += ["1", "--alpha", "0", "--transfer", "none", "--export", "--out", out, "--trust"]
    # Outside the source tree: it has no compiled kernels.
    result = subprocess.run(
        [sys.executable, "-m", "skdistill", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=tempfile.gettempdir(),
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    exported = sio.load(out, trusted=sio.get_untrusted_types(file=out))
    assert isinstance(exported, RandomForestClassifier) and len(exported.estimators_) == 4
    thresholds = {tuple(t.tree_.threshold) for t in forest.estimators_}
    assert all(tuple(t.tree_.threshold) in thresholds for t in exported.estimators_)


def test_transfer_rounds_refit_the_sub_forest_with_the_teacher(clf_data):
    from skdistill.transfer import Munge

    X, y, _ = clf_data
    model = DistilledClassifier(
        RandomForestClassifier(n_estimators=10, max_depth=5, random_state=0),
        SubForestClassifier(3),
        temperature=1.0,
        alpha=0.0,
        transfer=Munge(size_factor=1),
        transfer_rounds=2,
        random_state=0,
    ).fit(X, y)
    # Round 1 fitted a new student (which raises without the teacher).
    assert len(model.transfer_fidelity_) >= 2
    assert np.mean(model.predict(X) == model.teacher_.predict(X)) > 0.85


def test_regressor_as_classification_student_names_the_counterpart():
    # Before: "use student_fit='native' or 'auto'", which a regressor cannot follow.
    X, y = make_classification(n_samples=120, random_state=0)
    model = DistilledClassifier(
        RandomForestClassifier(n_estimators=5, random_state=0),
        SubForestRegressor(n_estimators=2),
        temperature=1.0,
        alpha=0.0,
        transfer=None,
    )
    with pytest.raises(
        ValueError, match="SubForestRegressor is a regressor.*classifier counterpart"
    ):
        model.fit(X, y)
