"""The result of :func:`skdistill.search_students`: candidates, frontier, choice."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ._validation import import_pandas as _import_pandas

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["COLUMNS", "StudentSearch", "pareto_frontier"]

COLUMNS = (
    "fidelity",
    "score",
    "kl_divergence",
    "n_bytes",
    "n_leaves",
    "n_parameters",
    "predict_ms_per_1k",
    "fit_seconds",
)


class StudentSearch:
    """Every student tried by :func:`search_students`, the frontier and the choice.

    Attributes
    ----------
    candidates : list of dict
        One per candidate, in the order tried: ``family``, ``params``,
        ``name``, ``status`` (``"finished"``, ``"eliminated at rung k"`` or
        ``"over budget: ..."``), ``rung`` and ``n_rows`` of the last fit,
        and its held-out ``fidelity`` (label agreement, or R² against the
        teacher for regression), ``score`` (accuracy or R²),
        ``kl_divergence``, ``n_bytes`` (pickled student), ``n_leaves``,
        ``n_parameters`` (NaN where not applicable), ``predict_ms_per_1k``
        (student predict on 1000 held-out rows, last rung only) and
        ``fit_seconds``.
    frontier : list of int
        Indices of the finished candidates on the Pareto frontier of
        fidelity against ``n_bytes`` (no other is smaller and at least as
        faithful), smallest first.
    best_index : int
        The chosen candidate.
    best_estimator : DistilledClassifier or DistilledRegressor
        The chosen student distilled on all rows, with the search's teacher
        (frozen) and settings.
    skipped : dict of str -> str
        Families left out and why (budget, task, or every candidate over
        the budget).
    budget : dict
        The limits searched under.
    target_fidelity : float or None
    score_name : {"accuracy", "r2"}
    teacher_score : float
        Accuracy or R² of the teacher on the held-out rows. It was fitted
        on every row (once, for the whole search), so this is an in-sample,
        optimistic number; the students' numbers are held-out.
    rung_rows : list of int
        Training rows of each successive-halving rung.
    settings : dict
        The fixed ``temperature`` (classification), ``alpha`` and
        ``transfer`` every candidate was distilled with.
    search_time, teacher_fit_time, refit_time : float
        Seconds: the whole search, the one teacher fit, the final refit.

    Examples
    --------
    See :func:`search_students`.
    """

    candidates: list[dict[str, Any]]
    frontier: list[int]
    best_index: int
    best_estimator: Any
    refit_size: dict[str, float]
    skipped: dict[str, str]
    budget: dict[str, Any]
    target_fidelity: float | None
    score_name: str
    teacher_score: float
    rung_rows: list[int]
    settings: dict[str, Any]
    search_time: float
    teacher_fit_time: float
    refit_time: float

    def __init__(self, **fields: Any) -> None:
        for name, value in fields.items():
            setattr(self, name, value)

    @property
    def best(self) -> dict[str, Any]:
        """The chosen candidate's record."""
        return self.candidates[self.best_index]

    def to_frame(self) -> pd.DataFrame:
        """The candidates as a pandas DataFrame, one row each.

        Returns
        -------
        frame : pandas.DataFrame
            ``family``, ``candidate``, ``status``, ``rung``, ``n_rows``,
            ``fidelity``, ``accuracy`` or ``r2``, ``kl_divergence``
            (classification), ``n_bytes``, ``n_leaves``, ``n_parameters``,
            ``predict_ms_per_1k``, ``fit_seconds``, ``on_frontier`` and
            ``chosen``: one unit per column.
        """
        pd = _import_pandas("StudentSearch.to_frame")
        rows = []
        for index, record in enumerate(self.candidates):
            row = {
                "family": record["family"],
                "candidate": record["name"],
                "status": record["status"],
                "rung": record["rung"] + 1,
                "n_rows": record["n_rows"],
            }
            for name in COLUMNS:
                if name == "kl_divergence" and self.score_name == "r2":
                    continue
                row[self.score_name if name == "score" else name] = record.get(name, np.nan)
            row["on_frontier"] = index in self.frontier
            row["chosen"] = index == self.best_index
            rows.append(row)
        frame = pd.DataFrame(rows)
        frame.attrs["teacher_score"] = self.teacher_score
        return frame

    def __repr__(self) -> str:
        return (
            f"<StudentSearch: {len(self.candidates)} candidates, "
            f"{len(self.frontier)} on the frontier, chose {self.best['name']}>"
        )

    def _table(self) -> tuple[list[str], list[list[str]]]:
        header = ["candidate", "fidelity", self.score_name, "bytes", "leaves", "ms/1k", ""]
        rows = []
        for index, record in enumerate(self.candidates):
            if record["status"] != "finished":
                continue
            mark = "chosen" if index == self.best_index else ""
            mark = mark or ("frontier" if index in self.frontier else "")
            rows.append(
                [
                    record["name"],
                    f"{record['fidelity']:.4f}",
                    f"{record['score']:.4f}",
                    f"{record['n_bytes']:,.0f}",
                    "-" if np.isnan(record["n_leaves"]) else f"{record['n_leaves']:.0f}",
                    f"{record['predict_ms_per_1k']:.3g}",
                    mark,
                ]
            )
        return header, rows

    def __str__(self) -> str:
        header, rows = self._table()
        widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]
        budget = ", ".join(f"{k}={v}" for k, v in self.budget.items()) or "none"
        lines = [
            f"Student search (budget: {budget}; teacher {self.score_name} "
            f"{self.teacher_score:.4f} in-sample; {len(self.candidates)} candidates, rungs of "
            f"{self.rung_rows} rows; {self.search_time:.1f}s)",
            "  ".join(
                f"{c:<{w}}" if i == 0 else f"{c:>{w}}"
                for i, (c, w) in enumerate(zip(header, widths))
            ),
        ]
        for row in rows:
            lines.append(
                "  ".join(
                    f"{c:<{w}}" if i == 0 else f"{c:>{w}}"
                    for i, (c, w) in enumerate(zip(row, widths))
                )
            )
        n_out = sum(record["status"] != "finished" for record in self.candidates)
        lines.append(f"{n_out} candidate(s) eliminated or over budget (see to_frame())")
        for family, reason in self.skipped.items():
            lines.append(f"skipped {family}: {reason}")
        lines.append(f"chosen: {self.best['name']}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        header, rows = self._table()
        cells = "".join(
            "<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows
        )
        head = "".join(f"<th>{cell}</th>" for cell in header)
        return (
            f"<p>{repr(self)[1:-1]}</p><table><thead><tr>{head}</tr></thead>"
            f"<tbody>{cells}</tbody></table>"
        )


def pareto_frontier(fidelity: np.ndarray, n_bytes: np.ndarray) -> list[int]:
    """Indices of the points no other point beats (at most as large and at
    least as faithful, one of them strictly), smallest first."""
    order = np.lexsort((-fidelity, n_bytes))
    frontier, best = [], -np.inf
    for index in order:
        if fidelity[index] > best:
            frontier.append(int(index))
            best = fidelity[index]
    return frontier
