"""The fidelity-size frontier of a student search, as a scikit-learn style Display."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._pyplot import pyplot
from .search import StudentSearch

__all__ = ["StudentSearchDisplay"]

_SIZES = ("n_bytes", "n_leaves", "n_parameters")
_BUDGET_OF = {"n_bytes": "max_bytes", "n_leaves": "max_leaves", "n_parameters": "max_parameters"}


class StudentSearchDisplay:
    """Fidelity and accuracy against size for every student of a search.

    One colour per family: filled markers for held-out fidelity, hollow
    ones for accuracy (or R²); a step line through the Pareto frontier; a
    star on the chosen student; a dashed line at the budget's limit on the
    size axis (and at ``target_fidelity`` when the search had one). Build it
    with :meth:`from_search`.

    Parameters
    ----------
    search : StudentSearch
        From :func:`skdistill.search_students`.
    size : {"n_bytes", "n_leaves", "n_parameters"}, default="n_bytes"
        The size on the x axis (candidates without that size are left out).

    Attributes
    ----------
    ax_ : matplotlib Axes
    figure_ : matplotlib Figure
    lines_ : dict of str -> matplotlib Line2D
        The fidelity markers of each family.
    frontier_line_ : matplotlib Line2D or None
    chosen_marker_ : matplotlib Line2D or None
        None when the chosen student has no such size.
    budget_lines_ : list of matplotlib artists

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.ensemble import RandomForestClassifier
    >>> from skdistill import search_students
    >>> from skdistill.plotting import StudentSearchDisplay
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> search = search_students(
    ...     RandomForestClassifier(n_estimators=20, random_state=0), X, y,
    ...     budget={"max_leaves": 8}, families=["tree", "linear"], random_state=0,
    ... )
    >>> display = StudentSearchDisplay.from_search(search)
    >>> sorted(display.lines_)
    ['linear', 'tree']
    """

    def __init__(self, search: StudentSearch, *, size: str = "n_bytes") -> None:
        self.search = search
        self.size = size

    @classmethod
    def from_search(
        cls, search: StudentSearch, *, size: str = "n_bytes", ax: Any = None
    ) -> StudentSearchDisplay:
        """Plot the candidates of a search.

        Parameters
        ----------
        search : StudentSearch
        size : {"n_bytes", "n_leaves", "n_parameters"}, default="n_bytes"
        ax : matplotlib Axes, default=None
            None: a new figure.

        Returns
        -------
        display : StudentSearchDisplay
        """
        return cls(search, size=size).plot(ax=ax)

    def _finished(self) -> list[int]:
        records = self.search.candidates
        return [
            i
            for i, r in enumerate(records)
            if r["status"] == "finished" and np.isfinite(r[self.size])
        ]

    def plot(self, ax: Any = None) -> StudentSearchDisplay:
        """Draw on ``ax`` (a new figure when None).

        Parameters
        ----------
        ax : matplotlib Axes, default=None

        Returns
        -------
        self : StudentSearchDisplay
        """
        if not isinstance(self.search, StudentSearch):
            raise TypeError(
                f"search must be a StudentSearch from search_students, got "
                f"{type(self.search).__name__}"
            )
        if self.size not in _SIZES:
            raise ValueError(f"size must be one of {list(_SIZES)}, got {self.size!r}")
        plt = pyplot()
        if ax is None:
            _, ax = plt.subplots(figsize=(7, 4.5))
        self.ax_, self.figure_ = ax, ax.figure
        self._draw_families(ax)
        self._draw_frontier_and_choice(ax)
        self._draw_budget(ax)
        ax.set_xscale("log")
        ax.set_xlabel(self.size.replace("_", " "))
        ax.set_ylabel(f"held-out fidelity (filled) / {self.search.score_name} (hollow)")
        ax.set_title("Student search: fidelity against size")
        ax.legend(loc="lower right", fontsize="small")
        return self

    def _draw_families(self, ax: Any) -> None:
        records = self.search.candidates
        shown = self._finished()
        self.lines_ = {}
        for colour, family in enumerate(dict.fromkeys(records[i]["family"] for i in shown)):
            own = [records[i] for i in shown if records[i]["family"] == family]
            x = [r[self.size] for r in own]
            (line,) = ax.plot(
                x, [r["fidelity"] for r in own], "o", color=f"C{colour}", label=family
            )
            ax.plot(x, [r["score"] for r in own], "o", mfc="none", color=f"C{colour}", alpha=0.6)
            self.lines_[family] = line

    def _draw_frontier_and_choice(self, ax: Any) -> None:
        records = self.search.candidates
        front = [i for i in self.search.frontier if np.isfinite(records[i][self.size])]
        self.frontier_line_ = None
        if front and self.size == "n_bytes":  # the frontier is computed in bytes
            (self.frontier_line_,) = ax.step(
                [records[i]["n_bytes"] for i in front],
                [records[i]["fidelity"] for i in front],
                where="post",
                color="0.3",
                lw=1,
                label="frontier",
            )
        best = self.search.best
        self.chosen_marker_ = None
        if np.isfinite(best[self.size]):
            (self.chosen_marker_,) = ax.plot(
                [best[self.size]],
                [best["fidelity"]],
                "*",
                ms=16,
                color="gold",
                mec="k",
                label=f"chosen: {best['name']}",
            )

    def _draw_budget(self, ax: Any) -> None:
        self.budget_lines_ = []
        limit = self.search.budget.get(_BUDGET_OF[self.size])
        if limit is not None:
            self.budget_lines_.append(
                ax.axvline(limit, ls="--", color="C3", label=f"{_BUDGET_OF[self.size]}={limit}")
            )
        if self.search.target_fidelity is not None:
            self.budget_lines_.append(
                ax.axhline(
                    self.search.target_fidelity,
                    ls=":",
                    color="C3",
                    label=f"target fidelity {self.search.target_fidelity}",
                )
            )
