"""benchmarks/_data.py: the local copy when present, else OpenML rebuilt in
the PMLB layout (fetch_openml is replaced by a stand-in: no network here)."""

import sys
import urllib.error
from pathlib import Path

import numpy as np
import pytest
from sklearn.utils import Bunch

pd = pytest.importorskip("pandas")

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import _data  # noqa: E402

SHARED = _data.DATASETS


@pytest.fixture
def empty_folder(tmp_path, monkeypatch):
    """No local copies: every PMLB set must come from (the stand-in) OpenML."""
    monkeypatch.setattr(_data, "DATASETS", tmp_path)
    _data.pmlb_frame.cache_clear()
    yield tmp_path
    _data.pmlb_frame.cache_clear()


def _serve(monkeypatch, data, target):
    calls = []

    def fetch_openml(*, data_id, as_frame, parser):
        calls.append(data_id)
        assert as_frame is True
        return Bunch(data=data, target=target)

    import sklearn.datasets

    monkeypatch.setattr(sklearn.datasets, "fetch_openml", fetch_openml)
    return calls


def _local(name):
    path = SHARED / f"{name}.tsv.gz"
    if not path.exists():
        pytest.skip(f"shared datasets not found in {SHARED}")
    return pd.read_csv(path, sep="\t")


def test_the_local_copy_is_read_without_fetching(empty_folder, monkeypatch):
    frame = pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 4.0], "target": [0, 1]})
    frame.to_csv(empty_folder / "magic.tsv.gz", sep="\t", index=False)
    calls = _serve(monkeypatch, None, None)
    X, y = _data.load_pmlb("magic")
    np.testing.assert_array_equal(X, [[1.0, 3.0], [2.0, 4.0]])
    np.testing.assert_array_equal(y, [0, 1])
    assert calls == []
    X[0, 0] = 99.0  # the cached frame is not handed out
    assert _data.load_pmlb("magic")[0][0, 0] == 1.0


def test_magic_from_openml_equals_the_pmlb_copy(empty_folder, monkeypatch):
    local = _local("magic")
    # OpenML spells the columns "fLength:" ...; shuffled to test the matching by name
    openml = local.drop(columns="target").rename(columns=lambda c: "f" + c[1:] + ":")
    openml = openml[list(reversed(openml.columns))]
    target = pd.Series(np.where(local["target"] == 1, "h", "g"), dtype="category")
    calls = _serve(monkeypatch, openml, target)
    X, y = _data.load_pmlb("magic")
    assert calls == [1120]
    np.testing.assert_array_equal(X, local.drop(columns="target").to_numpy())
    np.testing.assert_array_equal(y, local["target"].to_numpy())


def test_letter_from_openml_equals_the_pmlb_copy(empty_folder, monkeypatch):
    local = _local("letter")
    target = pd.Series([chr(ord("A") + code - 1) for code in local["target"]], dtype="category")
    _serve(monkeypatch, local.drop(columns="target").astype(np.int64), target)
    frame = _data.pmlb_frame("letter")
    pd.testing.assert_frame_equal(frame, local, check_dtype=False)
    assert frame.drop(columns="target").dtypes.eq(np.float64).all()


def test_adult_categories_are_coded_like_pmlb(empty_folder, monkeypatch):
    local = _local("adult")
    openml = local.drop(columns="target")
    categorical = ["workclass", "education", "marital-status", "occupation"]
    categorical += ["relationship", "race", "sex", "native-country"]
    for column in categorical:
        # names sorting like the codes; "?" (code 0 where PMLB kept it) is NaN on OpenML
        names = openml[column].map(lambda code: f"c{code:02d}")
        if column in ("workclass", "occupation", "native-country"):
            names = names.where(openml[column] != 0)
        openml[column] = names.astype("category")
    target = pd.Series(np.where(local["target"] == 1, "<=50K", ">50K"), dtype="category")
    calls = _serve(monkeypatch, openml, target)
    frame = _data.pmlb_frame("adult")
    assert calls == [1590]
    pd.testing.assert_frame_equal(frame, local, check_dtype=False)


def test_synthetic_categories_sorted_with_missing_first(empty_folder, monkeypatch):
    n = 20640
    rng = np.random.RandomState(0)
    features = pd.DataFrame(rng.normal(size=(n, 8)), columns=[f"v{j}" for j in range(8)])
    features["v1"] = pd.Categorical(rng.choice(["b", "a", None], size=n))
    _serve(monkeypatch, features, pd.Series(rng.uniform(size=n)))
    frame = _data.pmlb_frame("537_houses")
    # names differ from PMLB's: matched by position and renamed
    assert list(frame.columns) == [*_data.HOUSES_COLUMNS, "target"]
    expected = np.select([features["v1"].isna(), features["v1"] == "a"], [0, 1], 2)
    np.testing.assert_array_equal(frame["housing_median_age"], expected)
    assert frame["target"].dtype == np.float64


@pytest.mark.parametrize(
    "n_rows, n_features, message",
    [
        (100, 10, r"has 100 rows, expected 19020"),
        (19020, 11, r"has 11 feature columns, expected 10 \(FLength, "),
    ],
)
def test_a_different_openml_version_is_refused(
    n_rows, n_features, message, empty_folder, monkeypatch
):
    data = pd.DataFrame(np.zeros((n_rows, n_features)))
    _serve(monkeypatch, data, pd.Series(["g"] * n_rows))
    with pytest.raises(ValueError, match="OpenML data set 1120 for 'magic' " + message):
        _data.load_pmlb("magic")


def test_offline_says_what_is_missing_and_what_to_do(empty_folder, monkeypatch):
    import sklearn.datasets

    def offline(**kwargs):
        raise urllib.error.URLError("[Errno -3] Temporary failure in name resolution")

    monkeypatch.setattr(sklearn.datasets, "fetch_openml", offline)
    with pytest.raises(_data.DataUnavailable) as info:
        _data.load_pmlb("letter")
    message = str(info.value)
    assert f"'letter' is not in {empty_folder}" in message
    assert "OpenML (data_id=6; offline? URLError" in message
    assert "SKDISTILL_DATASETS" in message and "cached in" in message


def test_born_again_sets_are_local_only(empty_folder):
    with pytest.raises(_data.DataUnavailable, match="'Seeds' not found at .*Seeds.csv.*Vidal"):
        _data.load_born_again("Seeds")
    folder = empty_folder / "born_again"
    folder.mkdir()
    (folder / "Seeds.csv").write_text("a,b,Class\n1,2,x\n3,4,y\n")
    X, y = _data.load_born_again("Seeds")
    np.testing.assert_array_equal(X, [[1.0, 2.0], [3.0, 4.0]])
    assert list(y) == ["x", "y"]


def test_unknown_name(empty_folder):
    with pytest.raises(ValueError, match="unknown PMLB data set 'iris'; known: adult, letter"):
        _data.load_pmlb("iris")
