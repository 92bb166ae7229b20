"""plot_fidelity_curve, drawn with the Agg backend."""

import sys

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from sklearn.tree import DecisionTreeClassifier  # noqa: E402

from skdistill import DistilledClassifier, distill_path, select_student  # noqa: E402
from skdistill.plotting import plot_fidelity_curve  # noqa: E402


@pytest.fixture(scope="module")
def data():
    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, size=(300, 2))
    y = ((X[:, 0] > 0) & (X[:, 1] > 0)).astype(int)
    return X, y


@pytest.fixture(scope="module")
def model():
    return DistilledClassifier(
        DecisionTreeClassifier(max_depth=2, random_state=0),
        DecisionTreeClassifier(random_state=0),
        teacher_targets="in_sample",
    )


@pytest.fixture(scope="module")
def path(data, model):
    X, y = data
    return distill_path(model, X, y, values=[1, 2, 3], random_state=0, n_repeats=1)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_plot_writes_a_file_with_all_lines(path, tmp_path):
    choice = select_student(path, target_fidelity=0.99)
    ax = plot_fidelity_curve(path, chosen=choice, target_fidelity=0.99)
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels == [
        "fidelity",
        "student accuracy",
        f"teacher accuracy ({path.teacher_score:.3f})",
        "target fidelity (0.99)",
        "chosen: student__max_depth=2",
    ]
    fidelity_line = ax.get_lines()[0]
    np.testing.assert_array_equal(fidelity_line.get_xdata(), [1, 2, 3])
    np.testing.assert_array_equal(fidelity_line.get_ydata(), path.fidelity)
    np.testing.assert_array_equal(ax.get_lines()[1].get_ydata(), path.score)
    np.testing.assert_array_equal(ax.get_lines()[2].get_ydata(), [path.teacher_score] * 2)
    star = ax.get_lines()[4]
    assert list(star.get_xdata()) == [2] and list(star.get_ydata()) == [path.fidelity[1]]
    assert ax.get_xlabel() == "student__max_depth"
    assert [text.get_text() for text in ax.get_legend().get_texts()] == labels
    out = tmp_path / "curve.png"
    ax.figure.savefig(out)
    assert out.exists() and out.stat().st_size > 1000


def test_plot_on_given_axes_with_non_numeric_values_and_cv(data, model):
    X, y = data
    path = distill_path(model, X, y, values=[1, None], cv=2, n_repeats=1)
    fig, ax = plt.subplots()
    returned = plot_fidelity_curve(path, ax=ax, chosen=None)
    assert returned is ax
    assert [tick.get_text() for tick in ax.get_xticklabels()] == ["1", "None"]
    np.testing.assert_array_equal(ax.get_lines()[0].get_xdata(), [0, 1])
    assert len(ax.collections) == 1  # the ±1 std band over the 2 folds
    assert len(ax.get_lines()) == 3  # no target, no chosen marker
    ax = plot_fidelity_curve(path, chosen=None, x="size")
    assert ax.get_xlabel() == "n_leaves"
    np.testing.assert_array_equal(np.sort(ax.get_lines()[0].get_xdata()), np.sort(path.n_leaves))


def test_plot_chosen_by_value(path):
    ax = plot_fidelity_curve(path, chosen=3)
    assert ax.get_lines()[-1].get_label() == "chosen: student__max_depth=3"
    assert list(ax.get_lines()[-1].get_ydata()) == [path.fidelity[2]]


def test_plot_errors(path):
    with pytest.raises(TypeError, match="path must be a DistillationPath"):
        plot_fidelity_curve({"fidelity": [1.0]})
    with pytest.raises(ValueError, match=r"chosen=7 is not one of path.values \[1, 2, 3\]"):
        plot_fidelity_curve(path, chosen=7)
    with pytest.raises(ValueError, match="x must be 'value' or 'size'"):
        plot_fidelity_curve(path, x="depth")
    with pytest.raises(TypeError, match="target_fidelity must be a real number"):
        plot_fidelity_curve(path, target_fidelity="0.9")


def test_plot_without_matplotlib(path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match=r"pip install skdistill\[plot\]"):
        plot_fidelity_curve(path)
