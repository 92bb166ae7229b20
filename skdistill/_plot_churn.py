"""The churn-accuracy frontier of model updates, as a scikit-learn style Display."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ._pyplot import pyplot
from .size_search import DistillationPath

__all__ = ["ChurnFrontierDisplay", "plot_churn_frontier"]


def _named_paths(paths: Any) -> dict[str, DistillationPath]:
    """``{label: path}`` from one path or a mapping of them, all with churn."""
    if isinstance(paths, DistillationPath):
        paths = {paths.param: paths}
    if not isinstance(paths, Mapping) or not paths:
        raise TypeError(
            "paths must be a DistillationPath or a non-empty dict of label -> "
            f"DistillationPath, got {type(paths).__name__}"
        )
    for label, path in paths.items():
        if not isinstance(path, DistillationPath):
            raise TypeError(
                f"paths[{label!r}] must be a DistillationPath from distill_path, got "
                f"{type(path).__name__}"
            )
        if not path.has_churn:
            raise ValueError(
                f"paths[{label!r}] has no churn: make it with distill_path(..., previous=model)"
            )
    return {str(label): path for label, path in paths.items()}


class ChurnFrontierDisplay:
    """Held-out accuracy against churn for the students of one or more paths.

    Each path (e.g. :func:`skdistill.distill_path` over ``alpha`` with the
    previous model as a frozen teacher, or over ``student__prior_strength``
    with a prior taken from it) is one line of points, labelled with its
    parameter values; up and to the left is better. A dotted line marks the
    previous model's accuracy. Build it with :meth:`from_paths`.

    Parameters
    ----------
    paths : DistillationPath or dict of str -> DistillationPath
        Paths made with ``distill_path(..., previous=old_model)``.
    bad : bool, default=False
        Plot bad churn (right to wrong changes) instead of all changes.

    Attributes
    ----------
    lines_ : dict of str -> matplotlib Line2D
        One line per path.
    previous_line_ : matplotlib Line2D or None
        The previous model's accuracy (when known).
    ax_ : matplotlib Axes
    figure_ : matplotlib Figure

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.frozen import FrozenEstimator
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from skdistill import DistilledClassifier, distill_path
    >>> from skdistill.plotting import ChurnFrontierDisplay
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> old = make_pipeline(StandardScaler(), LogisticRegression()).fit(X[:50], y[:50])
    >>> update = DistilledClassifier(
    ...     FrozenEstimator(old), make_pipeline(StandardScaler(), LogisticRegression()),
    ...     temperature=1.0, random_state=0,
    ... )
    >>> path = distill_path(update, X[50:], y[50:], param="alpha", values=[0.0, 0.5, 1.0],
    ...                     previous=old, random_state=0, n_repeats=1)
    >>> display = ChurnFrontierDisplay.from_paths({"distillation": path})
    >>> list(display.lines_)
    ['distillation']
    """

    def __init__(self, paths: Any, *, bad: bool = False) -> None:
        self.paths = paths
        self.bad = bad

    @classmethod
    def from_paths(cls, paths: Any, *, bad: bool = False, ax: Any = None) -> ChurnFrontierDisplay:
        """Draw the churn-accuracy frontier of one or more paths.

        Parameters
        ----------
        paths : DistillationPath or dict of str -> DistillationPath
        bad : bool, default=False
        ax : matplotlib Axes, default=None
            None: a new figure.

        Returns
        -------
        display : ChurnFrontierDisplay
        """
        return cls(paths, bad=bad).plot(ax=ax)

    def plot(self, ax: Any = None) -> ChurnFrontierDisplay:
        """Draw on ``ax`` (a new figure when None).

        Parameters
        ----------
        ax : matplotlib Axes, default=None

        Returns
        -------
        self : ChurnFrontierDisplay
        """
        paths = _named_paths(self.paths)
        if not isinstance(self.bad, (bool, np.bool_)):
            raise TypeError(f"bad must be a bool, got {self.bad!r}")
        plt = pyplot()
        if ax is None:
            _, ax = plt.subplots(figsize=(6.4, 4.2))
        self.lines_ = {}
        for i, (label, path) in enumerate(paths.items()):
            churn = path.bad_churn if self.bad else path.churn
            (self.lines_[label],) = ax.plot(
                churn, path.score, "o-", color=f"C{i}", label=f"{label} ({path.param})"
            )
            for x, y, value in zip(churn, path.score, path.values):
                ax.annotate(
                    f"{value:g}" if isinstance(value, float) else str(value),
                    (x, y),
                    textcoords="offset points",
                    xytext=(4, 4),
                    fontsize="x-small",
                    color=f"C{i}",
                )
        self._decorate(ax, paths)
        self.ax_ = ax
        self.figure_ = ax.figure
        return self

    def _decorate(self, ax: Any, paths: dict[str, DistillationPath]) -> None:
        first = next(iter(paths.values()))
        self.previous_line_ = None
        if np.isfinite(first.previous_score):
            self.previous_line_ = ax.axhline(
                first.previous_score,
                color="0.4",
                linestyle=":",
                label=f"previous model ({first.previous_score:.3f})",
            )
        kind = "bad churn (right to wrong)" if self.bad else "churn (changed predictions)"
        ax.set_xlabel(f"{kind}, share of held-out rows")
        ax.set_ylabel(f"{first.score_name} (held out)")
        ax.set_title("Churn-accuracy frontier")
        ax.grid(True, alpha=0.3)
        ax.legend(loc="best", fontsize="small")


def plot_churn_frontier(paths: Any, *, bad: bool = False, ax: Any = None) -> Any:
    """Plot held-out accuracy against churn for one or more distillation paths.

    A shortcut for ``ChurnFrontierDisplay.from_paths(...).ax_``.

    Parameters
    ----------
    paths : DistillationPath or dict of str -> DistillationPath
        Made with ``distill_path(..., previous=old_model)``.
    bad : bool, default=False
        Bad churn (right to wrong) on the x axis instead of all changes.
    ax : matplotlib Axes, default=None

    Returns
    -------
    ax : matplotlib Axes

    Examples
    --------
    See :class:`ChurnFrontierDisplay`.
    """
    return ChurnFrontierDisplay.from_paths(paths, bad=bad, ax=ax).ax_
