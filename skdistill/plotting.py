"""Plots of distillation results (matplotlib is imported only when plotting)."""

import numbers

import numpy as np

from ._pyplot import pyplot
from .size_search import DistillationPath, StudentSelection

__all__ = ["FidelityCurveDisplay", "plot_fidelity_curve", "plot_shape_functions"]


def _is_number(value):
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def _x_positions(path, x):
    """x coordinates, tick labels (or None) and the axis label."""
    if x == "size":
        return np.asarray(path.size, dtype=np.float64), None, path.size_name
    if all(_is_number(value) for value in path.values):
        return np.asarray(path.values, dtype=np.float64), None, path.param
    # None (unlimited depth), strings, estimators: evenly spaced, labelled.
    labels = [
        str(value)
        if _is_number(value) or value is None or isinstance(value, str)
        else type(value).__name__
        for value in path.values
    ]
    return np.arange(len(path.values), dtype=np.float64), labels, path.param


def _chosen_index(path, chosen):
    if isinstance(chosen, StudentSelection):
        if chosen.param != path.param:
            raise ValueError(
                f"chosen was selected on {chosen.param!r} but the path varies {path.param!r}"
            )
        return chosen.index
    for index, value in enumerate(path.values):
        if _is_number(value) and _is_number(chosen):
            if value == chosen:
                return index
        elif value is chosen or (type(value) is type(chosen) and value == chosen):
            return index
    raise ValueError(f"chosen={chosen!r} is not one of path.values {path.values!r}")


def _reaches_target(path, index, chosen, target_fidelity):
    """Whether the chosen student reaches the target: the one drawn when
    given, else the one ``chosen`` was selected for (a selection that fell
    back to the most faithful student does not); True without a target."""
    if target_fidelity is None and isinstance(chosen, StudentSelection):
        target_fidelity = chosen.target_fidelity
    return target_fidelity is None or bool(path.fidelity[index] >= target_fidelity)


def _check_display(display):
    if not isinstance(display.path, DistillationPath):
        raise TypeError(
            f"path must be a DistillationPath from distill_path, got {type(display.path).__name__}"
        )
    if display.x not in ("value", "size"):
        raise ValueError(f"x must be 'value' or 'size', got {display.x!r}")
    target = display.target_fidelity
    if target is not None and not _is_number(target):
        raise TypeError(f"target_fidelity must be a real number or None, got {target!r}")
    index = display.chosen_index
    n_values = len(display.path.values)
    if index is not None and not (
        isinstance(index, numbers.Integral)
        and not isinstance(index, bool)
        and 0 <= index < n_values
    ):
        raise ValueError(f"chosen_index must be None or an int in [0, {n_values}), got {index!r}")


class FidelityCurveDisplay:
    """Held-out fidelity and accuracy (or R²) of the students of a path.

    Like scikit-learn's displays (``RocCurveDisplay``): build it with
    :meth:`from_path`, which draws it, or construct it and call :meth:`plot`
    (e.g. to draw the same curve again on other axes).

    Parameters
    ----------
    path : DistillationPath
        From :func:`skdistill.distill_path`.
    chosen_index : int, default=None
        Position in ``path.values`` of the chosen student, marked with a star;
        None marks none.
    target_fidelity : float, default=None
        Drawn as a horizontal line when given; when no student reaches it,
        the title says so.
    x : {"value", "size"}, default="value"
        The horizontal axis: the parameter values (evenly spaced and
        labelled when they are not all numbers), or the measured student
        size (``path.size_name``).

    Attributes
    ----------
    line_ : matplotlib Line2D
        The fidelity curve.
    score_line_ : matplotlib Line2D
        The students' accuracy (or R²).
    teacher_line_ : matplotlib Line2D
        The teacher's score (horizontal).
    target_line_ : matplotlib Line2D or None
        The target fidelity, when given.
    chosen_marker_ : matplotlib Line2D or None
        The star on the chosen student, when one is marked.
    band_ : matplotlib PolyCollection or None
        Fidelity ± one standard deviation over the folds (``path.n_splits > 1``).
    ax_ : matplotlib Axes
    figure_ : matplotlib Figure

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from skdistill import DistilledClassifier, distill_path, select_student
    >>> from skdistill.plotting import FidelityCurveDisplay
    >>> rng = np.random.RandomState(0)
    >>> X = rng.uniform(-1, 1, size=(300, 2))
    >>> y = (X[:, 0] > 0) ^ (X[:, 1] > 0)
    >>> model = DistilledClassifier(
    ...     DecisionTreeClassifier(max_depth=2, random_state=0),
    ...     DecisionTreeClassifier(random_state=0), teacher_targets="in_sample",
    ... )
    >>> path = distill_path(model, X, y, values=[1, 2, 3], random_state=0, n_repeats=1)
    >>> choice = select_student(path, target_fidelity=0.99)
    >>> display = FidelityCurveDisplay.from_path(path, chosen=choice, target_fidelity=0.99)
    >>> display.line_.get_label(), display.chosen_marker_.get_label()
    ('fidelity', 'chosen: student__max_depth=2')
    """

    def __init__(self, path, *, chosen_index=None, target_fidelity=None, x="value"):
        self.path = path
        self.chosen_index = chosen_index
        self.target_fidelity = target_fidelity
        self.x = x

    @classmethod
    def from_path(cls, path, *, chosen=None, target_fidelity=None, x="value", ax=None):
        """Draw the fidelity curve of a path.

        Parameters
        ----------
        path : DistillationPath
            From :func:`skdistill.distill_path`.
        chosen : StudentSelection or a value of ``path.values``, default=None
            The student to mark with a star (e.g. the result of
            :func:`skdistill.select_student`). It is marked only when it
            reaches the target fidelity: ``target_fidelity`` when given, else
            the target it was selected for: a selection that fell back to
            the most faithful student is not marked.
        target_fidelity : float, default=None
            Drawn as a horizontal line when given.
        x : {"value", "size"}, default="value"
            See the class parameters.
        ax : matplotlib Axes, default=None
            Where to draw; None creates a new figure.

        Returns
        -------
        display : FidelityCurveDisplay
            Drawn; its ``ax_`` holds the plot.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import numpy as np
        >>> from sklearn.tree import DecisionTreeClassifier
        >>> from skdistill import DistilledClassifier, distill_path
        >>> from skdistill.plotting import FidelityCurveDisplay
        >>> rng = np.random.RandomState(0)
        >>> X = rng.uniform(-1, 1, size=(200, 2))
        >>> y = X[:, 0] > 0
        >>> model = DistilledClassifier(
        ...     DecisionTreeClassifier(max_depth=2, random_state=0),
        ...     DecisionTreeClassifier(random_state=0), teacher_targets="in_sample",
        ... )
        >>> path = distill_path(model, X, y, values=[1, 2], random_state=0, n_repeats=1)
        >>> display = FidelityCurveDisplay.from_path(path, x="size")
        >>> display.ax_.get_xlabel()
        'n_leaves'
        """
        display = cls(path, target_fidelity=target_fidelity, x=x)
        _check_display(display)
        if chosen is not None:
            index = _chosen_index(path, chosen)
            if _reaches_target(path, index, chosen, target_fidelity):
                display.chosen_index = index
        return display.plot(ax=ax)

    def plot(self, ax=None):
        """Draw the curve.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Where to draw; None creates a new figure.

        Returns
        -------
        display : FidelityCurveDisplay
            This object, with ``ax_``, ``figure_`` and the line attributes set.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import matplotlib.pyplot as plt
        >>> import numpy as np
        >>> from sklearn.tree import DecisionTreeClassifier
        >>> from skdistill import DistilledClassifier, distill_path
        >>> from skdistill.plotting import FidelityCurveDisplay
        >>> rng = np.random.RandomState(0)
        >>> X = rng.uniform(-1, 1, size=(200, 2))
        >>> y = X[:, 0] > 0
        >>> model = DistilledClassifier(
        ...     DecisionTreeClassifier(max_depth=2, random_state=0),
        ...     DecisionTreeClassifier(random_state=0), teacher_targets="in_sample",
        ... )
        >>> path = distill_path(model, X, y, values=[1, 2], random_state=0, n_repeats=1)
        >>> fig, ax = plt.subplots()
        >>> display = FidelityCurveDisplay(path, chosen_index=0).plot(ax=ax)
        >>> display.ax_ is ax, display.figure_ is fig
        (True, True)
        """
        _check_display(self)
        plt = pyplot()
        if ax is None:
            _, ax = plt.subplots(figsize=(6.4, 4.2))
        xs, tick_labels, xlabel = _x_positions(self.path, self.x)
        self._draw_curves(ax, xs)
        self._draw_marks(ax, xs)
        if tick_labels is not None:
            ax.set_xticks(xs)
            ax.set_xticklabels(tick_labels)
        self._decorate(ax, xlabel)
        self.ax_ = ax
        self.figure_ = ax.figure
        return self

    def _draw_curves(self, ax, xs):
        path = self.path
        order = np.argsort(xs, kind="stable")
        (self.line_,) = ax.plot(
            xs[order], path.fidelity[order], "o-", color="C0", label="fidelity"
        )
        self.band_ = None
        if path.n_splits > 1:
            self.band_ = ax.fill_between(
                xs[order],
                (path.fidelity - path.fidelity_std)[order],
                (path.fidelity + path.fidelity_std)[order],
                color="C0",
                alpha=0.15,
            )
        (self.score_line_,) = ax.plot(
            xs[order], path.score[order], "s--", color="C1", label=f"student {path.score_name}"
        )
        self.teacher_line_ = ax.axhline(
            path.teacher_score,
            color="0.4",
            linestyle=":",
            label=f"teacher {path.score_name} ({path.teacher_score:.3f})",
        )

    def _draw_marks(self, ax, xs):
        path, index, target = self.path, self.chosen_index, self.target_fidelity
        self.target_line_ = None
        if target is not None:
            self.target_line_ = ax.axhline(
                target,
                color="C3",
                linestyle="-.",
                alpha=0.6,
                label=f"target fidelity ({target:g})",
            )
        self.chosen_marker_ = None
        if index is not None:
            (self.chosen_marker_,) = ax.plot(
                [xs[index]],
                [path.fidelity[index]],
                linestyle="none",
                marker="*",
                markersize=16,
                color="C3",
                zorder=5,
                label=f"chosen: {path.param}={path.values[index]!r}",
            )

    def _decorate(self, ax, xlabel):
        path = self.path
        fidelity_label = (
            "fidelity" if path.task == "classification" else "fidelity (R² vs teacher)"
        )
        title = f"Distillation path over {path.param}"
        target = self.target_fidelity
        if target is not None and not np.any(path.fidelity >= target):
            title += f"\n(no student reaches fidelity {target:g})"
        ax.set_xlabel(xlabel)
        ax.set_ylabel(f"{fidelity_label} / {path.score_name} (held out)")
        ax.set_title(title)
        ax.grid(True, alpha=0.3)
        ax.legend(loc="lower right", fontsize="small")


def plot_fidelity_curve(path, *, ax=None, chosen=None, target_fidelity=None, x="value"):
    """Plot held-out fidelity and accuracy (or R²) of the students of a path.

    A shortcut for ``FidelityCurveDisplay.from_path(...).ax_``; use
    :class:`FidelityCurveDisplay` to keep the drawn lines.

    Parameters
    ----------
    path : DistillationPath
        From :func:`skdistill.distill_path`.
    ax : matplotlib Axes, default=None
        Where to draw; None creates a new figure.
    chosen : StudentSelection or a value of ``path.values``, default=None
        Marked with a star on the fidelity curve (e.g. the result of
        :func:`skdistill.select_student`) when it reaches the target
        fidelity (``target_fidelity`` when given, else the target it was
        selected for).
    target_fidelity : float, default=None
        Drawn as a horizontal line when given.
    x : {"value", "size"}, default="value"
        The horizontal axis: the parameter values (evenly spaced and
        labelled when they are not all numbers), or the measured student
        size (``path.size_name``).

    Returns
    -------
    ax : matplotlib Axes
        With lines labelled ``"fidelity"``, the student's score, the
        teacher's score (horizontal) and, when given, the target and the
        chosen student.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from skdistill import DistilledClassifier, distill_path, select_student
    >>> from skdistill.plotting import plot_fidelity_curve
    >>> rng = np.random.RandomState(0)
    >>> X = rng.uniform(-1, 1, size=(300, 2))
    >>> y = (X[:, 0] > 0) ^ (X[:, 1] > 0)
    >>> model = DistilledClassifier(
    ...     DecisionTreeClassifier(max_depth=2, random_state=0),
    ...     DecisionTreeClassifier(random_state=0), teacher_targets="in_sample",
    ... )
    >>> path = distill_path(model, X, y, values=[1, 2, 3], random_state=0, n_repeats=1)
    >>> choice = select_student(path, target_fidelity=0.99)
    >>> ax = plot_fidelity_curve(path, chosen=choice, target_fidelity=0.99)
    >>> [line.get_label() for line in ax.get_lines()][:2]
    ['fidelity', 'student accuracy']
    """
    display = FidelityCurveDisplay.from_path(
        path, chosen=chosen, target_fidelity=target_fidelity, x=x, ax=ax
    )
    return display.ax_


def _additive_model(gam):
    """``(fitted GAM, score-column labels)`` of a GAM or of a distilled model
    whose student is one."""
    model = getattr(gam, "student_", gam)
    if not hasattr(model, "shape_functions_"):
        raise TypeError(
            "gam must be a fitted SoftGAMClassifier or SoftGAMRegressor, or a fitted "
            f"distilled model with one as student, got {type(model).__name__}"
        )
    classes = getattr(model, "classes_", None)
    if classes is None:
        return model, ["score"]
    if model is not gam:
        # A native student learnt the target columns 0..K-1.
        classes = np.asarray(gam.classes_)[np.asarray(classes, dtype=np.intp)]
    if len(classes) == 2:
        return model, [f"log-odds of {classes[1]}"]
    return model, [str(label) for label in classes]


def plot_shape_functions(gam, feature_names=None, *, features=None, ncols=3):
    """Plot the shape function of each feature of a generalized additive model.

    One panel per feature: the feature's additive score (log-odds for a
    classifier) as a step function over its bins, one line per score column,
    with the score of a missing value in the panel's title when training had
    NaN. Scores are centred (weighted mean 0 over the training rows), so a
    panel reads as the change from the average prediction.

    Parameters
    ----------
    gam : SoftGAMClassifier, SoftGAMRegressor or distilled model
        A fitted GAM, or a fitted distilled model whose ``student_`` is one
        (then the legend shows the real class labels).
    feature_names : list of str, default=None
        Defaults to the column names seen in ``fit``, else ``x0, x1, ...``.
    features : list of int, default=None
        Indices of the features to plot; all by default.
    ncols : int, default=3
        Panels per row.

    Returns
    -------
    fig : matplotlib Figure
    axes : ndarray of matplotlib Axes
        One per plotted feature, in the order of ``features``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from skdistill.plotting import plot_shape_functions
    >>> from skdistill.students import SoftGAMClassifier
    >>> rng = np.random.RandomState(0)
    >>> X = rng.uniform(-3, 3, size=(500, 3))
    >>> y = np.sin(X[:, 0]) + X[:, 1] > 0
    >>> gam = SoftGAMClassifier(random_state=0).fit(X, y)
    >>> fig, axes = plot_shape_functions(gam, ["a", "b", "c"], features=[0, 1])
    >>> [ax.get_title() for ax in axes]
    ['a', 'b']
    >>> axes[0].get_ylabel()
    'log-odds of True'
    """
    model, column_labels = _additive_model(gam)
    n_features = len(model.shape_functions_)
    if feature_names is None:
        feature_names = getattr(model, "feature_names_in_", [f"x{j}" for j in range(n_features)])
    names = [str(name) for name in feature_names]
    if len(names) != n_features:
        raise ValueError(
            f"feature_names must have one name per feature ({n_features}), got {len(names)}"
        )
    features = list(range(n_features)) if features is None else list(features)
    if not features or not all(
        _is_number(j) and float(j).is_integer() and 0 <= j < n_features for j in features
    ):
        raise ValueError(
            f"features must be a non-empty list of feature indices in [0, {n_features}), "
            f"got {features!r}"
        )
    if isinstance(ncols, bool) or not isinstance(ncols, numbers.Integral) or ncols < 1:
        raise ValueError(f"ncols must be an int >= 1, got {ncols!r}")
    plt = pyplot()
    ncols = min(ncols, len(features))
    nrows = -(-len(features) // ncols)
    fig, grid = plt.subplots(nrows, ncols, figsize=(3.6 * ncols, 2.8 * nrows), squeeze=False)
    for ax in grid.ravel()[len(features) :]:
        ax.set_visible(False)
    axes = grid.ravel()[: len(features)]
    for ax, j in zip(axes, features):
        _draw_shape(ax, model.shape_functions_[int(j)], names[int(j)], column_labels)
    if len(column_labels) > 1:
        axes[0].legend(fontsize="small")
    fig.tight_layout()
    return fig, axes


def _draw_shape(ax, shape, name, column_labels):
    title = name
    if np.all(np.isfinite(shape["bin_edges"])):
        for k, label in enumerate(column_labels):
            ax.stairs(
                shape["scores"][:, k],
                shape["bin_edges"],
                baseline=None,
                color=f"C{k}",
                label=label,
            )
    if shape["missing_weight"] > 0:
        missing = ", ".join(f"{v:+.2f}" for v in shape["missing_score"])
        title += f" (NaN: {missing})"
    ax.axhline(0.0, color="0.6", linewidth=0.8, linestyle=":")
    ax.set_title(title)
    ax.set_ylabel(column_labels[0] if len(column_labels) == 1 else "score")
    ax.grid(True, alpha=0.3)


from ._plot_search import StudentSearchDisplay  # noqa: E402 - after the rest: it imports skdistill.search

__all__ += ["StudentSearchDisplay"]

from ._plot_churn import ChurnFrontierDisplay, plot_churn_frontier  # noqa: E402, I001

__all__ += ["ChurnFrontierDisplay", "plot_churn_frontier"]
