"""Plots of distillation results (matplotlib is imported only when plotting)."""

import numbers

import numpy as np

from .size_search import DistillationPath, StudentSelection

__all__ = ["plot_fidelity_curve"]


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ImportError(
            "plotting needs matplotlib; install it with: pip install skdistill[plot]"
        ) from exc
    return plt


def _is_number(value):
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def _x_positions(path, x):
    """x coordinates, tick labels (or None) and the axis label."""
    if x == "size":
        return np.asarray(path.size, dtype=np.float64), None, path.size_name
    if all(_is_number(value) for value in path.values):
        return np.asarray(path.values, dtype=np.float64), None, path.param
    # None (unlimited depth), strings, estimators: evenly spaced, labelled.
    labels = [str(value) if _is_number(value) or value is None or isinstance(value, str)
              else type(value).__name__ for value in path.values]
    return np.arange(len(path.values), dtype=np.float64), labels, path.param


def _chosen_index(path, chosen):
    if isinstance(chosen, StudentSelection):
        if chosen.param != path.param:
            raise ValueError(
                f"chosen was selected on {chosen.param!r} but the path varies "
                f"{path.param!r}"
            )
        return chosen.index
    for index, value in enumerate(path.values):
        if _is_number(value) and _is_number(chosen):
            if value == chosen:
                return index
        elif value is chosen or (type(value) is type(chosen) and value == chosen):
            return index
    raise ValueError(f"chosen={chosen!r} is not one of path.values {path.values!r}")


def plot_fidelity_curve(path, *, ax=None, chosen=None, target_fidelity=None, x="value"):
    """Plot held-out fidelity and accuracy (or R²) of the students of a path.

    Parameters
    ----------
    path : DistillationPath
        From :func:`skdistill.distill_path`.
    ax : matplotlib Axes, default=None
        Where to draw; None creates a new figure.
    chosen : StudentSelection or a value of ``path.values``, default=None
        Marked with a star on the fidelity curve (e.g. the result of
        :func:`skdistill.select_student`).
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
    if not isinstance(path, DistillationPath):
        raise TypeError(
            f"path must be a DistillationPath from distill_path, got {type(path).__name__}"
        )
    if x not in ("value", "size"):
        raise ValueError(f"x must be 'value' or 'size', got {x!r}")
    if target_fidelity is not None and not _is_number(target_fidelity):
        raise TypeError(f"target_fidelity must be a real number or None, got {target_fidelity!r}")
    index = None if chosen is None else _chosen_index(path, chosen)
    plt = _pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=(6.4, 4.2))

    xs, tick_labels, xlabel = _x_positions(path, x)
    order = np.argsort(xs, kind="stable")
    fidelity_label = "fidelity" if path.task == "classification" else "fidelity (R² vs teacher)"
    ax.plot(xs[order], path.fidelity[order], "o-", color="C0", label="fidelity")
    if path.n_splits > 1:
        ax.fill_between(xs[order], (path.fidelity - path.fidelity_std)[order],
                        (path.fidelity + path.fidelity_std)[order], color="C0", alpha=0.15)
    ax.plot(xs[order], path.score[order], "s--", color="C1",
            label=f"student {path.score_name}")
    ax.axhline(path.teacher_score, color="0.4", linestyle=":",
               label=f"teacher {path.score_name} ({path.teacher_score:.3f})")
    if target_fidelity is not None:
        ax.axhline(target_fidelity, color="C3", linestyle="-.", alpha=0.6,
                   label=f"target fidelity ({target_fidelity:g})")
    if index is not None:
        ax.plot([xs[index]], [path.fidelity[index]], linestyle="none", marker="*",
                markersize=16, color="C3", zorder=5,
                label=f"chosen: {path.param}={path.values[index]!r}")
    if tick_labels is not None:
        ax.set_xticks(xs)
        ax.set_xticklabels(tick_labels)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(f"{fidelity_label} / {path.score_name} (held out)")
    ax.set_title(f"Distillation path over {path.param}")
    ax.grid(True, alpha=0.3)
    ax.legend(loc="lower right", fontsize="small")
    return ax
