"""FidelityCurveDisplay and plot_fidelity_curve, drawn with the Agg backend."""

import sys

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from sklearn.tree import DecisionTreeClassifier  # noqa: E402

from skdistill import DistilledClassifier, distill_path, select_student  # noqa: E402
from skdistill.plotting import FidelityCurveDisplay, plot_fidelity_curve  # noqa: E402


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


def test_display_from_path_keeps_its_artists(path):
    choice = select_student(path, target_fidelity=0.99)
    display = FidelityCurveDisplay.from_path(path, chosen=choice, target_fidelity=0.99)
    ax = display.ax_
    assert display.figure_ is ax.figure
    assert display.chosen_index == 1 and display.target_fidelity == 0.99
    lines = ax.get_lines()
    assert display.line_ is lines[0] and display.score_line_ is lines[1]
    assert display.teacher_line_ is lines[2] and display.target_line_ is lines[3]
    assert display.chosen_marker_ is lines[4]
    assert display.band_ is None  # one split: no std band
    np.testing.assert_array_equal(display.line_.get_ydata(), path.fidelity)
    assert list(display.chosen_marker_.get_ydata()) == [path.fidelity[1]]
    assert ax.get_title() == "Distillation path over student__max_depth"


def test_display_plot_draws_again_on_other_axes(path):
    display = FidelityCurveDisplay(path, chosen_index=2, x="size")
    assert not hasattr(display, "ax_")  # nothing drawn before plot
    fig, (left, right) = plt.subplots(1, 2)
    assert display.plot(ax=left) is display and display.ax_ is left
    first_marker = display.chosen_marker_
    display.plot(ax=right)
    assert display.ax_ is right and display.figure_ is fig
    assert display.chosen_marker_ is not first_marker
    assert display.target_line_ is None
    assert right.get_xlabel() == "n_leaves"
    assert list(display.chosen_marker_.get_xdata()) == [path.n_leaves[2]]
    assert [len(ax.get_lines()) for ax in (left, right)] == [4, 4]


def test_chosen_marker_only_when_the_target_is_met(data, model, path):
    # depth 1 reaches fidelity 0.8: below the drawn target, no star
    assert path.fidelity[0] < 0.9
    display = FidelityCurveDisplay.from_path(path, chosen=1, target_fidelity=0.9)
    assert display.chosen_marker_ is None and display.chosen_index is None
    assert display.target_line_ is not None
    assert "chosen" not in " ".join(line.get_label() for line in display.ax_.get_lines())
    assert "no student reaches" not in display.ax_.get_title()  # depths 2 and 3 do
    # without a drawn target, a value is marked wherever it is
    assert FidelityCurveDisplay.from_path(path, chosen=1).chosen_index == 0

    X, y = data
    shallow = distill_path(model, X, y, values=[1], random_state=0, n_repeats=1)
    with pytest.warns(UserWarning, match="returning it"):
        fallback = select_student(shallow, target_fidelity=0.9)
    assert not fallback.met
    # the selection's own target decides when none is drawn
    display = FidelityCurveDisplay.from_path(shallow, chosen=fallback)
    assert display.chosen_marker_ is None and display.target_line_ is None
    ax = plot_fidelity_curve(shallow, chosen=fallback, target_fidelity=0.9)
    assert [line.get_label() for line in ax.get_lines()][-1] == "target fidelity (0.9)"
    assert ax.get_title().endswith("(no student reaches fidelity 0.9)")
    # a lower drawn target that the fallback reaches marks it
    ax = plot_fidelity_curve(shallow, chosen=fallback, target_fidelity=0.75)
    assert ax.get_lines()[-1].get_label() == "chosen: student__max_depth=1"


@pytest.mark.parametrize("index", [3, -1, 1.0, True, "1"])
def test_display_rejects_a_bad_chosen_index(path, index):
    with pytest.raises(ValueError, match=r"chosen_index must be None or an int in \[0, 3\)"):
        FidelityCurveDisplay(path, chosen_index=index).plot()


def test_display_checks_its_parameters_in_plot(path):
    with pytest.raises(TypeError, match="path must be a DistillationPath"):
        FidelityCurveDisplay([0.9, 0.95]).plot()
    with pytest.raises(ValueError, match="x must be 'value' or 'size'"):
        FidelityCurveDisplay(path, x="leaves").plot()
    with pytest.raises(TypeError, match="target_fidelity must be a real number"):
        FidelityCurveDisplay(path, target_fidelity=[0.9]).plot()
