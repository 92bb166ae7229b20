"""polars DataFrames: transfer rows keep the frame's form, so the student is
fitted with the feature names and predicting on a polars frame raises no
feature-name warning; results equal the pandas path."""

import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.datasets import make_classification, make_regression
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from skdistill import DistilledClassifier, DistilledRegressor
from skdistill._labeling import concatenate_rows
from skdistill.transfer import AdversarialSampler, LeafRefill, Munge

pl = pytest.importorskip("polars")
pd = pytest.importorskip("pandas")

COLUMNS = ["a", "b", "c", "count"]


@pytest.fixture(scope="module")
def frames():
    X, y = make_classification(
        n_samples=160, n_features=3, n_informative=3, n_redundant=0, random_state=0
    )
    # An integer column with many levels: generated values are rounded back.
    counts = np.random.default_rng(0).integers(0, 40, size=len(X))
    data = {"a": X[:, 0], "b": X[:, 1], "c": X[:, 2], "count": counts}
    return pd.DataFrame(data), pl.DataFrame(data), y


def _fit_without_warnings(model, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        return model.fit(X, y)


def _classifier(transfer="auto", **params):
    return DistilledClassifier(
        RandomForestClassifier(n_estimators=10, random_state=0),
        DecisionTreeClassifier(max_depth=3, random_state=0),
        transfer=transfer,
        random_state=0,
        **params,
    )


TRANSFERS = {
    "munge": lambda X: {"transfer": Munge(size_factor=1.0), "temperature": 2.0},
    "rows": lambda X: {"transfer": X[:40], "temperature": 2.0},
    "auto": lambda X: {},
    # Rounds label generated candidates (arrays for polars before the fix).
    "adversarial": lambda X: {
        "transfer": [Munge(size_factor=0.5), AdversarialSampler()],
        "transfer_rounds": 2,
    },
    "leaf-refill": lambda X: {
        "transfer": [Munge(size_factor=0.5), LeafRefill()],
        "transfer_rounds": 2,
    },
}


@pytest.mark.parametrize("name", list(TRANSFERS))
def test_polars_student_keeps_feature_names(name, frames):
    frame_pd, frame_pl, y = frames
    fitted = {}
    for frame in (frame_pd, frame_pl):
        model = _classifier(**TRANSFERS[name](frame))
        fitted[type(frame).__module__.split(".")[0]] = _fit_without_warnings(model, frame, y)
    model = fitted["polars"]
    assert model.n_transfer_samples_ == fitted["pandas"].n_transfer_samples_ > 0
    assert_array_equal(model.student_.feature_names_in_, COLUMNS)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # no "X has feature names" warning
        proba = model.predict_proba(frame_pl)
        labels = model.predict(frame_pl)
    assert_allclose(proba, fitted["pandas"].predict_proba(frame_pd), rtol=0, atol=0)
    assert_array_equal(labels, fitted["pandas"].predict(frame_pd))


def test_polars_regressor_with_transfer_set():
    X, y = make_regression(n_samples=120, n_features=4, random_state=0)
    frame_pl = pl.DataFrame(X, schema=COLUMNS)
    frame_pd = frame_pl.to_pandas()
    predictions = []
    for frame in (frame_pd, frame_pl):
        model = DistilledRegressor(
            RandomForestRegressor(n_estimators=10, random_state=0),
            DecisionTreeRegressor(max_depth=4, random_state=0),
            transfer=Munge(size_factor=2.0),
            random_state=0,
        )
        _fit_without_warnings(model, frame, y)
        with warnings.catch_warnings():
            warnings.simplefilter("error", UserWarning)
            predictions.append(model.predict(frame))
    assert_array_equal(model.student_.feature_names_in_, COLUMNS)
    assert_array_equal(predictions[0], predictions[1])


def test_concatenate_rows_puts_arrays_in_the_polars_frame_form():
    frame = pl.DataFrame({"x": [0.5, 1.5], "n": [1, 2]}, schema={"x": pl.Float32, "n": pl.Int64})
    generated = np.array([[2.25, 3.4], [4.0, 4.6]])
    stacked = concatenate_rows([frame, generated])
    assert isinstance(stacked, pl.DataFrame)
    assert stacked.schema == frame.schema
    assert stacked["n"].to_list() == [1, 2, 3, 5]  # rounded, not truncated
    assert_allclose(stacked["x"].to_numpy(), [0.5, 1.5, 2.25, 4.0])
    # Arrays alone, in the form of a frame they came from.
    alone = concatenate_rows([generated], like=frame)
    assert isinstance(alone, pl.DataFrame) and alone.shape == (2, 2)
    # Other kinds are unchanged.
    assert isinstance(concatenate_rows([generated, generated]), np.ndarray)
