"""skops: every fitted skdistill model loads with ``trusted_types()`` and no
Bunch is left in the distilled estimators' fitted attributes (issue 12)."""

import numpy as np
import pytest
from sklearn.base import is_regressor
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

import skdistill.students as students
from skdistill import DistilledClassifier, DistilledRegressor, Munge
from skdistill._io import TREE_TYPES, skdistill_safe_types
from skdistill.io import trusted_types

sio = pytest.importorskip("skops.io")

X, Y = make_classification(n_samples=150, n_features=5, n_informative=3, random_state=0)
# SubForest students reuse the teacher's trees: they need a forest teacher.
NEEDS_FOREST = {"SubForestClassifier", "SubForestRegressor"}


def _native_students():
    return [
        name
        for name in students.__all__
        if isinstance(getattr(students, name), type) and name not in NEEDS_FOREST
    ]


@pytest.mark.parametrize("name", _native_students())
def test_each_native_student_round_trips_with_the_trust_list(name):
    student = (
        getattr(students, name)(random_state=0) if _seeded(name) else getattr(students, name)()
    )
    model = DistilledClassifier(
        LogisticRegression(),
        student,
        temperature=2.0,
        alpha=0.0,
        transfer=Munge(size_factor=1),
        random_state=0,
    ).fit(X, Y)
    data = sio.dumps(model)
    untrusted = set(sio.get_untrusted_types(data=data))
    assert untrusted <= set(trusted_types())
    loaded = sio.loads(data, trusted=trusted_types())
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))
    if hasattr(model, "predict_proba"):
        np.testing.assert_allclose(loaded.predict_proba(X), model.predict_proba(X))
    assert loaded.target_summary_ == model.target_summary_
    assert is_regressor(student) == (model.student_fit_ == "logit_regression")


@pytest.mark.parametrize("name", sorted(NEEDS_FOREST & set(students.__all__)))
def test_sub_forest_students_round_trip_with_a_forest_teacher(name):
    from sklearn.datasets import make_regression
    from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor

    student = getattr(students, name)()
    if is_regressor(student):
        Xs, ys = make_regression(n_samples=150, n_features=5, random_state=0)
        model = DistilledRegressor(
            RandomForestRegressor(n_estimators=10, random_state=0), student, alpha=0.0
        )
    else:
        Xs, ys = X, Y
        model = DistilledClassifier(
            RandomForestClassifier(n_estimators=10, random_state=0), student, alpha=0.0
        )
    model.set_params(transfer=None, random_state=0).fit(Xs, ys)
    loaded = sio.loads(sio.dumps(model), trusted=trusted_types())
    np.testing.assert_array_equal(loaded.predict(Xs), model.predict(Xs))


def _seeded(name):
    return "random_state" in getattr(students, name)().get_params()


def test_tuned_model_holds_plain_dicts_and_loads():
    model = DistilledClassifier(
        LogisticRegression(), students.SoftDecisionTreeClassifier(max_depth=3), random_state=0
    ).fit(X, Y)
    assert type(model.target_summary_) is dict
    assert model.tune_results_ and all(type(r) is dict for r in model.tune_results_)
    assert all(type(r["params"]) is dict for r in model.tune_results_)
    data = sio.dumps(model)
    untrusted = set(sio.get_untrusted_types(data=data))
    # no container type to trust: only skdistill's classes and the tree arrays
    assert "sklearn.utils._bunch.Bunch" not in untrusted
    assert all(name.startswith("skdistill.") or name in TREE_TYPES for name in untrusted)
    loaded = sio.loads(data, trusted=trusted_types())
    for before, after in zip(model.tune_results_, loaded.tune_results_, strict=True):
        # a Munge candidate comes back as an equal Munge, not the same object
        transfer = before["params"]["transfer"]
        assert _comparable(after) == _comparable(before)
        if transfer is not None:
            assert after["params"]["transfer"].get_params() == transfer.get_params()


def _comparable(result):
    transfer = result["params"]["transfer"]
    params = {**result["params"], "transfer": None if transfer is None else type(transfer)}
    return {**result, "params": params}


def test_regressor_summary_is_a_dict():
    from sklearn.datasets import make_regression
    from sklearn.linear_model import Ridge

    Xr, yr = make_regression(n_samples=120, n_features=4, random_state=0)
    model = DistilledRegressor(Ridge(), students.LinearTreeRegressor(), alpha=0.0).fit(Xr, yr)
    assert set(model.target_summary_) == {"source", "teacher_r2"}
    loaded = sio.loads(sio.dumps(model), trusted=trusted_types())
    np.testing.assert_allclose(loaded.predict(Xr), model.predict(Xr))


def test_trust_list_is_short_and_covers_the_public_classes():
    names = trusted_types()
    assert names == sorted(set(names))
    assert skdistill_safe_types() <= set(names)
    # no container type (Bunch) to trust: only skdistill's classes and tree arrays
    foreign = [n for n in names if not n.startswith("skdistill.")]
    assert foreign == list(TREE_TYPES)
    assert "skdistill._blackbox.BlackBoxTeacher" in names


def test_black_box_teacher_loads_once_its_function_is_trusted():
    from test_blackbox import X_FIT, Y_FIT, remote_proba

    from skdistill import BlackBoxTeacher

    model = DistilledClassifier(
        BlackBoxTeacher(remote_proba, classes=[0, 1, 2]),
        students.SoftDecisionTreeClassifier(max_depth=3),
        temperature=2.0,
        alpha=0.0,
        transfer=None,
    ).fit(X_FIT, Y_FIT)
    data = sio.dumps(model)
    extra = sorted(set(sio.get_untrusted_types(data=data)) - set(trusted_types()))
    assert extra == [f"{remote_proba.__module__}.remote_proba"]  # the function, by name
    with pytest.raises(TypeError, match="remote_proba"):  # UntrustedTypesFoundException
        sio.loads(data, trusted=trusted_types())
    loaded = sio.loads(data, trusted=trusted_types() + extra)
    assert loaded.teacher_.predict_proba_fn is remote_proba
    np.testing.assert_array_equal(loaded.predict(X_FIT), model.predict(X_FIT))
